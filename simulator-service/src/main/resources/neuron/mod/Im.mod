: Im: muscarinic K current, after Adams et al. (1982).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, Im.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.Im: keep formulas, guards and constants identical.

NEURON {
    SUFFIX Im
    USEION k READ ek WRITE ik
    RANGE gbar, mInf, mTau
}

UNITS {
    (S) = (siemens)
    (mV) = (millivolt)
    (mA) = (milliamp)
}

PARAMETER {
    gbar = 0.00001 (S/cm2)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    mInf mTau (ms)
}

STATE {
    m
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*m*(v - ek)
}

DERIVATIVE states {
    rates(v)
    m' = (mInf - m)/mTau
}

INITIAL {
    rates(v)
    m = mInf
}

PROCEDURE rates(vm (mV)) {
    LOCAL qt, mAlpha, mBeta
    UNITSOFF
    qt = 2.3^((34-21)/10)
    mAlpha = 3.3e-3*exp(2.5*0.04*(vm - -35))
    mBeta = 3.3e-3*exp(-2.5*0.04*(vm - -35))
    mInf = mAlpha/(mAlpha + mBeta)
    mTau = (1/(mAlpha + mBeta))/qt
    UNITSON
}

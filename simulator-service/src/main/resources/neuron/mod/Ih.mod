: Ih: hyperpolarisation-activated non-specific cation current (ehcn -45 mV), after Kole et al. (2006).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, Ih.mod), vshift 0; no temperature correction, as published. Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.Ih: keep formulas, guards and constants identical.

NEURON {
    SUFFIX Ih
    NONSPECIFIC_CURRENT ihcn
    RANGE gbar, mInf, mTau
}

UNITS {
    (S) = (siemens)
    (mV) = (millivolt)
    (mA) = (milliamp)
}

PARAMETER {
    gbar = 0.00001 (S/cm2)
    ehcn = -45.0 (mV)
}

ASSIGNED {
    v (mV)
    ihcn (mA/cm2)
    mInf mTau (ms)
}

STATE {
    m
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ihcn = gbar*m*(v - ehcn)
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
    LOCAL v1, mAlpha, mBeta
    UNITSOFF
    v1 = vm
    if (v1 == -154.9) {
        v1 = v1 + 0.0001
    }
    mAlpha = 0.001*6.43*(v1 - -154.9)/(exp((v1 - -154.9)/11.9) - 1)
    mBeta = 0.001*193*exp(v1/33.1)
    mInf = mAlpha/(mAlpha + mBeta)
    mTau = 1/(mAlpha + mBeta)
    UNITSON
}

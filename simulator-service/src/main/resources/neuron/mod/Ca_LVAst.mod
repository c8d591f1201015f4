: Ca_LVAst: low-voltage-activated Ca current, after Avery & Johnston (1996), tau from Randall (1997), shifted -10 mV.
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, Ca_LVAst.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.CaLvaSt: keep formulas, guards and constants identical.

NEURON {
    SUFFIX Ca_LVAst
    USEION ca READ eca WRITE ica
    RANGE gbar, mInf, mTau, hInf, hTau
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
    eca (mV)
    ica (mA/cm2)
    mInf mTau (ms) hInf hTau (ms)
}

STATE {
    m h
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ica = gbar*m*m*h*(v - eca)
}

DERIVATIVE states {
    rates(v)
    m' = (mInf - m)/mTau
    h' = (hInf - h)/hTau
}

INITIAL {
    rates(v)
    m = mInf
    h = hInf
}

PROCEDURE rates(vm (mV)) {
    LOCAL v1, qt
    UNITSOFF
    qt = 2.3^((34-21)/10)
    v1 = vm + 10
    mInf = 1.0000/(1 + exp((v1 - -30.000)/-6))
    mTau = (5.0000 + 20.0000/(1 + exp((v1 - -25.000)/5)))/qt
    hInf = 1.0000/(1 + exp((v1 - -80.000)/6.4))
    hTau = (20.0000 + 50.0000/(1 + exp((v1 - -40.000)/7)))/qt
    UNITSON
}

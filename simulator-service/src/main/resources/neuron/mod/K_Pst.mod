: K_Pst: persistent K current, after Korngreen & Sakmann (2000), shifted -10 mV (junction potential).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, K_Pst.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.KPst: keep formulas, guards and constants identical.

NEURON {
    SUFFIX K_Pst
    USEION k READ ek WRITE ik
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
    ek (mV)
    ik (mA/cm2)
    mInf mTau (ms) hInf hTau (ms)
}

STATE {
    m h
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*m*m*h*(v - ek)
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
    LOCAL v1, qt, u
    UNITSOFF
    qt = 2.3^((34-21)/10)
    v1 = vm + 10
    mInf = 1/(1 + exp(-(v1 + 1)/12))
    if (v1 < -50) {
        mTau = (1.25 + 175.03*exp(-v1 * -0.026))/qt
    } else {
        mTau = (1.25 + 13*exp(-v1 * 0.026))/qt
    }
    hInf = 1/(1 + exp(-(v1 + 54)/-11))
    u = (v1 + 75)/48
    hTau = (360 + (1010 + 24*(v1 + 55))*exp(-(u*u)))/qt
    UNITSON
}

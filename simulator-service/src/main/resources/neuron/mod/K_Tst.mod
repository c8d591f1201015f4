: K_Tst: transient K current, after Korngreen & Sakmann (2000), shifted -10 mV (junction potential).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, K_Tst.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.KTst: keep formulas, guards and constants identical.

NEURON {
    SUFFIX K_Tst
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
    ik = gbar*m*m*m*m*h*(v - ek)
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
    LOCAL v1, qt, um, uh
    UNITSOFF
    qt = 2.3^((34-21)/10)
    v1 = vm + 10
    mInf = 1/(1 + exp(-(v1 + 0)/19))
    um = (v1 + 71)/59
    mTau = (0.34 + 0.92*exp(-(um*um)))/qt
    hInf = 1/(1 + exp(-(v1 + 66)/-10))
    uh = (v1 + 73)/23
    hTau = (8 + 49*exp(-(uh*uh)))/qt
    UNITSON
}

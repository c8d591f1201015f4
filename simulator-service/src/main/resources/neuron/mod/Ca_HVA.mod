: Ca_HVA: high-voltage-activated Ca current, after Reuveni et al. (1993).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, Ca_HVA.mod); no temperature correction, as published. Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.CaHva: keep formulas, guards and constants identical.

NEURON {
    SUFFIX Ca_HVA
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
    LOCAL v1, mAlpha, mBeta, hAlpha, hBeta
    UNITSOFF
    v1 = vm
    if (v1 == -27) {
        v1 = v1 + 0.0001
    }
    mAlpha = (0.055*(-27 - v1))/(exp((-27 - v1)/3.8) - 1)
    mBeta = (0.94*exp((-75 - v1)/17))
    mInf = mAlpha/(mAlpha + mBeta)
    mTau = 1/(mAlpha + mBeta)
    hAlpha = (0.000457*exp((-13 - v1)/50))
    hBeta = (0.0065/(exp((-v1 - 15)/28) + 1))
    hInf = hAlpha/(hAlpha + hBeta)
    hTau = 1/(hAlpha + hBeta)
    UNITSON
}

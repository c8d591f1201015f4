: NaTa_t: fast inactivating Na current, after Colbert & Pan (2002).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, NaTa_t.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.NaTaT: keep formulas, guards and constants identical.

NEURON {
    SUFFIX NaTa_t
    USEION na READ ena WRITE ina
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
    ena (mV)
    ina (mA/cm2)
    mInf mTau (ms) hInf hTau (ms)
}

STATE {
    m h
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar*m*m*m*h*(v - ena)
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
    LOCAL v1, qt, mAlpha, mBeta, hAlpha, hBeta
    UNITSOFF
    qt = 2.3^((34-21)/10)
    v1 = vm
    if (v1 == -38) {
        v1 = v1 + 0.0001
    }
    mAlpha = (0.182 * (v1 - -38))/(1 - (exp(-(v1 - -38)/6)))
    mBeta = (0.124 * (-v1 - 38))/(1 - (exp(-(-v1 - 38)/6)))
    mTau = (1/(mAlpha + mBeta))/qt
    mInf = mAlpha/(mAlpha + mBeta)
    if (v1 == -66) {
        v1 = v1 + 0.0001
    }
    hAlpha = (-0.015 * (v1 - -66))/(1 - (exp((v1 - -66)/6)))
    hBeta = (-0.015 * (-v1 - 66))/(1 - (exp((-v1 - 66)/6)))
    hTau = (1/(hAlpha + hBeta))/qt
    hInf = hAlpha/(hAlpha + hBeta)
    UNITSON
}

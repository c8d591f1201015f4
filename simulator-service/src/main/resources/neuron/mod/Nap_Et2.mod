: Nap_Et2: persistent Na current, after Magistretti & Alonso (1999); mTau 6 x that of NaTa_t.
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, Nap_Et2.mod), kinetics at 34 C (q10 2.3 from 21 C). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.NapEt2: keep formulas, guards and constants identical.

NEURON {
    SUFFIX Nap_Et2
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
    mInf = 1.0/(1 + exp((v1 - -52.6)/-4.6))
    if (v1 == -38) {
        v1 = v1 + 0.0001
    }
    mAlpha = (0.182 * (v1 - -38))/(1 - (exp(-(v1 - -38)/6)))
    mBeta = (0.124 * (-v1 - 38))/(1 - (exp(-(-v1 - 38)/6)))
    mTau = 6*(1/(mAlpha + mBeta))/qt
    if (v1 == -17) {
        v1 = v1 + 0.0001
    }
    if (v1 == -64.4) {
        v1 = v1 + 0.0001
    }
    hInf = 1.0/(1 + exp((v1 - -48.8)/10))
    hAlpha = -2.88e-6 * (v1 + 17) / (1 - exp((v1 + 17)/4.63))
    hBeta = 6.94e-6 * (v1 + 64.4) / (1 - exp(-(v1 + 64.4)/2.63))
    hTau = (1/(hAlpha + hBeta))/qt
    UNITSON
}

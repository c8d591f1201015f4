: SKv3_1: Kv3.1 (Shaw-related) K current, after Rettig et al. (1992).
: Equations, constants and singular-point guards as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, SKv3_1.mod); no temperature correction, as published. Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.SKv31: keep formulas, guards and constants identical.

NEURON {
    SUFFIX SKv3_1
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
    UNITSOFF
    mInf = 1/(1 + exp(((vm - (18.700))/(-9.700))))
    mTau = 0.2*20.000/(1 + exp(((vm - (-46.560))/(-44.140))))
    UNITSON
}

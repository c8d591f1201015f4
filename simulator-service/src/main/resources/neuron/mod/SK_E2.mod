: SK_E2: small-conductance calcium-activated K current, after Kohler et al. (1996).
: Equations, constants and the low-calcium guard as published by Hay et al. (2011), PLoS Comput Biol
: 7(7):e1002107 (ModelDB 139653, SK_E2.mod); zTau 1 ms, no temperature correction. Our own text.
: Twin of the Java class io.neurosurrogate.simulator.cell.channels.SkE2: keep them identical.

NEURON {
    SUFFIX SK_E2
    USEION k READ ek WRITE ik
    USEION ca READ cai
    RANGE gbar, zInf
}

UNITS {
    (S) = (siemens)
    (mV) = (millivolt)
    (mA) = (milliamp)
    (mM) = (milli/liter)
}

PARAMETER {
    gbar = 0 (S/cm2)
    zTau = 1 (ms)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    cai (mM)
    zInf
}

STATE {
    z
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = gbar*z*(v - ek)
}

DERIVATIVE states {
    rates(cai)
    z' = (zInf - z)/zTau
}

INITIAL {
    rates(cai)
    z = zInf
}

PROCEDURE rates(ca (mM)) {
    LOCAL c
    UNITSOFF
    c = ca
    if (c < 1e-7) {
        c = c + 1e-07
    }
    zInf = 1/(1 + (0.00043/c)^4.8)
    UNITSON
}

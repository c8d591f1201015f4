COMMENT
InhSyn: one inhibitory (GABA_A) synapse site, a double-exponential conductance normalised like
NEURON's Exp2Syn so that one event of weight 1 gives a peak conductance of exactly gmax.
NeuroSurrogate aggregates all inhibitory synapses of one segment into one InhSyn.

  i = g (v - e)

Kinetics from Beniaguev, Segev & London (2021), Neuron 109(17):2727-2739: GABA_A rise 0.2 ms,
decay 8 ms, E -80 mV. The values are set per instance from the model description (gmax there in
nS, here in uS). An event of weight w adds w * factor * gmax to A and B; g = B - A; the states
decay exactly (cnexp on a linear ODE).
ENDCOMMENT

NEURON {
    POINT_PROCESS InhSyn
    RANGE tau_rise, tau_decay, gmax, e, g, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau_rise = 0.2 (ms) <1e-9, 1e9>
    tau_decay = 8 (ms) <1e-9, 1e9>
    gmax = 0.001 (uS)
    e = -80 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor (1)
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    A = 0
    B = 0
    : Exp2Syn normalisation; requires tau_rise < tau_decay
    tp = (tau_rise * tau_decay) / (tau_decay - tau_rise) * log(tau_decay / tau_rise)
    factor = 1 / (exp(-tp / tau_decay) - exp(-tp / tau_rise))
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = B - A
    i = g * (v - e)
}

DERIVATIVE states {
    A' = -A / tau_rise
    B' = -B / tau_decay
}

NET_RECEIVE(weight (1)) {
    A = A + weight * factor * gmax
    B = B + weight * factor * gmax
}

COMMENT
ExcSyn: one excitatory synapse site with an AMPA and an NMDA conductance, each a double exponential
normalised like NEURON's Exp2Syn, so that one event of weight 1 gives a peak conductance of exactly
gmax. NeuroSurrogate aggregates all excitatory synapses of one segment into one ExcSyn (exact, since
the conductances are linear in the events).

  i = g_ampa (v - e) + g_nmda mgblock(v) (v - e)
  mgblock(v) = 1 / (1 + exp(-0.08 v) mg / 3.57)

Kinetics and the Mg block follow Beniaguev, Segev & London (2021), Neuron 109(17):2727-2739
("Single cortical neurons as deep artificial neural networks"): AMPA rise 0.3 ms, decay 3 ms;
NMDA rise 2 ms, decay 70 ms; [Mg] 1 mM; E 0 mV. The values are set per instance from the model
description (gmax there in nS, here in uS).

An event of weight w adds w * factor * gmax to both A and B; g = B - A. The states decay exactly
(cnexp on a linear ODE: A *= exp(-dt/tau)), which the pure-Java engine reproduces.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExcSyn
    RANGE tau_rise_ampa, tau_decay_ampa, gmax_ampa
    RANGE tau_rise_nmda, tau_decay_nmda, gmax_nmda
    RANGE mg, e, g_ampa, g_nmda, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
    (mM) = (milli/liter)
}

PARAMETER {
    tau_rise_ampa = 0.3 (ms) <1e-9, 1e9>
    tau_decay_ampa = 3 (ms) <1e-9, 1e9>
    gmax_ampa = 0.0004 (uS)
    tau_rise_nmda = 2 (ms) <1e-9, 1e9>
    tau_decay_nmda = 70 (ms) <1e-9, 1e9>
    gmax_nmda = 0.0004 (uS)
    mg = 1 (mM)
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g_ampa (uS)
    g_nmda (uS)
    factor_ampa (1)
    factor_nmda (1)
}

STATE {
    A_ampa (uS)
    B_ampa (uS)
    A_nmda (uS)
    B_nmda (uS)
}

INITIAL {
    A_ampa = 0
    B_ampa = 0
    A_nmda = 0
    B_nmda = 0
    factor_ampa = peak_factor(tau_rise_ampa, tau_decay_ampa)
    factor_nmda = peak_factor(tau_rise_nmda, tau_decay_nmda)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g_ampa = B_ampa - A_ampa
    g_nmda = B_nmda - A_nmda
    i = g_ampa * (v - e) + g_nmda * mgblock(v) * (v - e)
}

DERIVATIVE states {
    A_ampa' = -A_ampa / tau_rise_ampa
    B_ampa' = -B_ampa / tau_decay_ampa
    A_nmda' = -A_nmda / tau_rise_nmda
    B_nmda' = -B_nmda / tau_decay_nmda
}

FUNCTION mgblock(vm (mV)) (1) {
    mgblock = 1 / (1 + exp(-0.08 (/mV) * vm) * mg / 3.57 (mM))
}

COMMENT
Exp2Syn normalisation: 1 / (exp(-tp/decay) - exp(-tp/rise)), tp the time of the peak.
Requires rise < decay (true for all published values).
ENDCOMMENT
FUNCTION peak_factor(rise (ms), decay (ms)) (1) {
    LOCAL tp
    tp = (rise * decay) / (decay - rise) * log(decay / rise)
    peak_factor = 1 / (exp(-tp / decay) - exp(-tp / rise))
}

NET_RECEIVE(weight (1)) {
    A_ampa = A_ampa + weight * factor_ampa * gmax_ampa
    B_ampa = B_ampa + weight * factor_ampa * gmax_ampa
    A_nmda = A_nmda + weight * factor_nmda * gmax_nmda
    B_nmda = B_nmda + weight * factor_nmda * gmax_nmda
}

package io.neurosurrogate.simulator.cell.model;

/**
 * Synapse kinetics (double exponentials normalised to a peak conductance of gmax, as NEURON's
 * Exp2Syn). Values from Beniaguev, Segev &amp; London (Neuron 2021): AMPA rise 0.3 ms, decay 3 ms,
 * gmax 0.4 nS, E 0 mV; NMDA rise 2 ms, decay 70 ms, gmax 0.4 nS, Mg block
 * 1 / (1 + exp(-0.08 v) [Mg] / 3.57), [Mg] 1 mM; GABA_A rise 0.2 ms, decay 8 ms, gmax 1 nS, E -80 mV.
 * A zero {@code nmdaGmaxNs} gives the AMPA-only cell.
 */
public record SynapseParams(double ampaRiseMs, double ampaDecayMs, double ampaGmaxNs,
                            double nmdaRiseMs, double nmdaDecayMs, double nmdaGmaxNs,
                            double excReversalMv, double mgMm,
                            double gabaRiseMs, double gabaDecayMs, double gabaGmaxNs, double inhReversalMv) {

    public static final SynapseParams PAPER_NMDA = new SynapseParams(0.3, 3.0, 0.4, 2.0, 70.0, 0.4, 0.0, 1.0, 0.2, 8.0, 1.0, -80.0);
    public static final SynapseParams PAPER_AMPA = new SynapseParams(0.3, 3.0, 0.4, 2.0, 70.0, 0.0, 0.0, 1.0, 0.2, 8.0, 1.0, -80.0);

    /** NMDA magnesium block factor at {@code vMv} (Jahr &amp; Stevens form used by the paper). */
    public double mgBlock(double vMv) {
        return 1.0 / (1.0 + Math.exp(-0.08 * vMv) * mgMm / 3.57);
    }

    /**
     * Exp2Syn peak normalisation: 1 / (exp(-tp/decay) - exp(-tp/rise)) with tp the time of the peak,
     * so that one event of weight w gives a conductance peaking at exactly w.
     */
    public static double peakFactor(double riseMs, double decayMs) {
        double tp = riseMs * decayMs / (decayMs - riseMs) * Math.log(decayMs / riseMs);
        return 1.0 / (Math.exp(-tp / decayMs) - Math.exp(-tp / riseMs));
    }
}

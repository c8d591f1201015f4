package io.neurosurrogate.simulator.cell.engine;

import io.neurosurrogate.simulator.cell.model.SynapseParams;

/**
 * The synapses of one simulation: per site one excitatory (AMPA + NMDA) and one inhibitory (GABA_A)
 * conductance, each a double exponential normalised to its peak like NEURON's Exp2Syn; all spikes of
 * one kind on one site add to the same states (exact, since the synapses are linear in conductance).
 * Kinetics from Beniaguev, Segev &amp; London (Neuron 2021); see {@link SynapseParams}. The same
 * equations as resources/neuron/mod/ExcSyn.mod and InhSyn.mod.
 */
final class SynapseBank {
    private final int[] siteNode;
    private final double mgOver357;
    private final double eExc;
    private final double eInh;
    private final boolean nmda;
    /** Increment of A and B per spike (uS): gmax (nS) * 1e-3 * peak factor. */
    private final double ampaStep;
    private final double nmdaStep;
    private final double gabaStep;
    private final double ampaRiseDecay;
    private final double ampaDecayDecay;
    private final double nmdaRiseDecay;
    private final double nmdaDecayDecay;
    private final double gabaRiseDecay;
    private final double gabaDecayDecay;
    private final double[] ampaA;
    private final double[] ampaB;
    private final double[] nmdaA;
    private final double[] nmdaB;
    private final double[] gabaA;
    private final double[] gabaB;

    SynapseBank(int[] siteNode, SynapseParams p, double dtMs) {
        this.siteNode = siteNode;
        int n = siteNode.length;
        mgOver357 = p.mgMm() / 3.57;
        eExc = p.excReversalMv();
        eInh = p.inhReversalMv();
        nmda = p.nmdaGmaxNs() > 0;
        ampaStep = p.ampaGmaxNs() * 1e-3 * SynapseParams.peakFactor(p.ampaRiseMs(), p.ampaDecayMs());
        nmdaStep = p.nmdaGmaxNs() * 1e-3 * SynapseParams.peakFactor(p.nmdaRiseMs(), p.nmdaDecayMs());
        gabaStep = p.gabaGmaxNs() * 1e-3 * SynapseParams.peakFactor(p.gabaRiseMs(), p.gabaDecayMs());
        ampaRiseDecay = Math.exp(-dtMs / p.ampaRiseMs());
        ampaDecayDecay = Math.exp(-dtMs / p.ampaDecayMs());
        nmdaRiseDecay = Math.exp(-dtMs / p.nmdaRiseMs());
        nmdaDecayDecay = Math.exp(-dtMs / p.nmdaDecayMs());
        gabaRiseDecay = Math.exp(-dtMs / p.gabaRiseMs());
        gabaDecayDecay = Math.exp(-dtMs / p.gabaDecayMs());
        ampaA = new double[n];
        ampaB = new double[n];
        nmdaA = new double[n];
        nmdaB = new double[n];
        gabaA = new double[n];
        gabaB = new double[n];
    }

    void excitatorySpike(int site) {
        ampaA[site] += ampaStep;
        ampaB[site] += ampaStep;
        nmdaA[site] += nmdaStep;
        nmdaB[site] += nmdaStep;
    }

    void inhibitorySpike(int site) {
        gabaA[site] += gabaStep;
        gabaB[site] += gabaStep;
    }

    /** Adds synaptic currents (nA) and their dI/dV (uS) at v to the per-node arrays. */
    void current(double[] v, double[] iNa, double[] gUs) {
        for (int k = 0; k < siteNode.length; k++) {
            int node = siteNode[k];
            double vm = v[node];
            double gA = ampaB[k] - ampaA[k];
            double gG = gabaB[k] - gabaA[k];
            double i = gA * (vm - eExc) + gG * (vm - eInh);
            double g = gA + gG;
            if (nmda) {
                double gN = nmdaB[k] - nmdaA[k];
                double block = 1.0 / (1.0 + Math.exp(-0.08 * vm) * mgOver357);
                i += gN * block * (vm - eExc);
                // d/dv [block (v - e)] = block + (v - e) * 0.08 * block * (1 - block)
                g += gN * (block + (vm - eExc) * 0.08 * block * (1.0 - block));
            }
            iNa[node] += i;
            gUs[node] += g;
        }
    }

    /** Exact decay over one step (NEURON's cnexp on dA/dt = -A / tau). */
    void advance() {
        for (int k = 0; k < siteNode.length; k++) {
            ampaA[k] *= ampaRiseDecay;
            ampaB[k] *= ampaDecayDecay;
            gabaA[k] *= gabaRiseDecay;
            gabaB[k] *= gabaDecayDecay;
        }
        if (nmda) {
            for (int k = 0; k < siteNode.length; k++) {
                nmdaA[k] *= nmdaRiseDecay;
                nmdaB[k] *= nmdaDecayDecay;
            }
        }
    }
}

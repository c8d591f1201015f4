package io.neurosurrogate.simulator.engine;

/**
 * Input spikes of one simulation: for every synapse (excitatory 0..nExc-1, then inhibitory
 * nExc..nExc+nInh-1) the sorted 1 ms bins holding a spike. At most one spike per synapse and bin
 * (Bernoulli input, as in the paper). The same layout as {@code SimulationTrace}, so no copy is
 * needed to publish it.
 */
public final class SynapticInput {
    private final int nExc;
    private final int nInh;
    private final int durationMs;
    private final int[][] spikeBins;

    public SynapticInput(int nExc, int nInh, int durationMs, int[][] spikeBins) {
        if (spikeBins.length != nExc + nInh) {
            throw new IllegalArgumentException("expected " + (nExc + nInh) + " synapses, got " + spikeBins.length);
        }
        this.nExc = nExc;
        this.nInh = nInh;
        this.durationMs = durationMs;
        this.spikeBins = spikeBins;
    }

    public int nExc() {
        return nExc;
    }

    public int nInh() {
        return nInh;
    }

    public int synapses() {
        return spikeBins.length;
    }

    public int durationMs() {
        return durationMs;
    }

    /** Sorted bins of one synapse (not copied: do not modify). */
    public int[] spikeBins(int synapse) {
        return spikeBins[synapse];
    }

    /** All synapses' bins (not copied: do not modify). */
    public int[][] spikeBins() {
        return spikeBins;
    }

    public boolean isExcitatory(int synapse) {
        return synapse < nExc;
    }
}

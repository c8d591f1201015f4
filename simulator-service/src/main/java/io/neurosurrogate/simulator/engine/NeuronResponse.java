package io.neurosurrogate.simulator.engine;

/**
 * What an engine computes from its input: the soma voltage of every 1 ms bin, the output spike
 * times (ms from simulation start) and, for biophysical models, the apical nexus voltage of every
 * 1 ms bin (null otherwise). Arrays are handed over, not copied.
 */
public record NeuronResponse(float[] somaMv, double[] spikeTimesMs, float[] nexusMv) {

    /** A response without a nexus recording. */
    public NeuronResponse(float[] somaMv, double[] spikeTimesMs) {
        this(somaMv, spikeTimesMs, null);
    }
}

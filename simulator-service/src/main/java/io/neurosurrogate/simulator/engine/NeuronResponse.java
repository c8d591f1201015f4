package io.neurosurrogate.simulator.engine;

/**
 * What an engine computes from its input: the soma voltage of every 1 ms bin and the output spike
 * times (ms from simulation start). Arrays are handed over, not copied.
 */
public record NeuronResponse(float[] somaMv, double[] spikeTimesMs) {
}

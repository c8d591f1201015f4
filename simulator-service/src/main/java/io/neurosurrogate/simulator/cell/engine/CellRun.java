package io.neurosurrogate.simulator.cell.engine;

/**
 * What one run of a biophysical cell produced.
 *
 * @param somaMv        soma voltage at the end of each 1 ms bin, t = 1, 2, ..., duration ms
 * @param spikeTimesMs  soma threshold crossings (ms)
 * @param somaFullMv    soma voltage at every integration step t = 0, dt, ..., duration (null unless asked for)
 * @param recordedMv    voltage at the end of each 1 ms bin of each extra recorded node (nexus, dendrites)
 * @param runSeconds    wall-clock time of the integration loop alone
 */
public record CellRun(float[] somaMv, double[] spikeTimesMs, double[] somaFullMv, float[][] recordedMv, double runSeconds) {
}

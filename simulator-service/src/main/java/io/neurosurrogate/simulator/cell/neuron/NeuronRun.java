package io.neurosurrogate.simulator.cell.neuron;

import java.util.List;

/**
 * The result of one NEURON run: the soma(0.5) membrane potential (mV) at every fixed time step
 * t = i * dtMs, i = 0 .. durationMs / dtMs (so {@code durationMs / dtMs + 1} values, the first at
 * t = 0 after initialisation), the extra recordings in the order they were requested (same length),
 * and the wall-clock seconds of NEURON's run loop alone (no start-up, no model building).
 */
public record NeuronRun(double[] somaMv, List<double[]> recordings, double dtMs, double runSeconds) {

    public NeuronRun {
        recordings = List.copyOf(recordings);
    }

    /** Time (ms) of sample {@code i}. */
    public double timeMs(int i) {
        return i * dtMs;
    }
}

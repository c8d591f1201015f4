package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.trainer.eval.SimulationPrediction;

/**
 * Full-length causal prediction of a simulation, in segments so memory stays bounded: each segment
 * of {@code segmentMs} output bins is computed from an input that starts receptive-field - 1 bins
 * earlier (zeros before the simulation start), so every output sees exactly its true history and
 * the result equals one pass over the whole simulation. With the dendritic head the normalised nexus
 * voltage is predicted alongside.
 */
final class CausalPredictor {
    static final int DEFAULT_SEGMENT_MS = 2000;

    private final SurrogateNetwork network;
    private final int segmentMs;

    CausalPredictor(SurrogateNetwork network, int segmentMs) {
        this.network = network;
        this.segmentMs = segmentMs;
    }

    SimulationPrediction predict(SimulationTrace sim) {
        int duration = sim.durationMs();
        int history = network.receptiveFieldMs() - 1;
        int segments = Math.max(1, (duration + segmentMs - 1) / segmentMs);
        int width = segmentMs + history;
        int synapses = sim.synapses();
        float[] input = new float[segments * synapses * width];
        for (int g = 0; g < segments; g++) {
            sim.denseInput(g * segmentMs - history, width, input, g * synapses * width);
        }
        float[][] out = network.predict(input, segments, width);
        float[] spike = new float[duration];
        float[] volt = new float[duration];
        float[] nexus = out.length > 2 ? new float[duration] : null;
        for (int g = 0; g < segments; g++) {
            int t0 = g * segmentMs;
            int n = Math.min(segmentMs, duration - t0);
            System.arraycopy(out[0], g * width + history, spike, t0, n);
            System.arraycopy(out[1], g * width + history, volt, t0, n);
            if (nexus != null) {
                System.arraycopy(out[2], g * width + history, nexus, t0, n);
            }
        }
        return new SimulationPrediction(spike, volt, nexus);
    }
}

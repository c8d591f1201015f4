package io.neurosurrogate.client;

import io.neurosurrogate.core.metrics.HeldOutScores;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a served model's predictions against simulated traces with the paper's measures
 * ({@link HeldOutScores}): 1 ms bins, the first {@code skipMs} of each simulation excluded, voltage
 * clipped at each simulation's threshold.
 */
public final class HeldOutEvaluation {
    private HeldOutEvaluation() {
    }

    public static HeldOutScores of(List<SimulationTrace> traces, PredictResponse response, int skipMs) {
        if (response.getNeuronsCount() != traces.size()) {
            throw new IllegalArgumentException("expected " + traces.size() + " predictions, got " + response.getNeuronsCount());
        }
        List<float[]> spikeProb = new ArrayList<>(traces.size());
        List<float[]> somaMv = new ArrayList<>(traces.size());
        for (NeuronPrediction p : response.getNeuronsList()) {
            spikeProb.add(toArray(p.getSpikeProbList()));
            somaMv.add(toArray(p.getSomaMvList()));
        }
        return HeldOutScores.of(HeldOutScores.pool(traces, spikeProb, somaMv, traces.get(0).meta().getVThresholdMv(), skipMs));
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}

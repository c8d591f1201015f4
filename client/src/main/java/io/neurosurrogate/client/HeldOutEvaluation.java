package io.neurosurrogate.client;

import io.neurosurrogate.core.metrics.SpikeMetrics;
import io.neurosurrogate.core.metrics.VoltageMetrics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictResponse;

import java.util.List;

/**
 * Scores a surrogate's predictions against simulated traces the way Beniaguev et al. (2021) did:
 * 1 ms bins, the first {@code skipMs} of each simulation excluded, spike AUC, RMSE of the soma
 * voltage clipped at the threshold, variance explained.
 */
public record HeldOutEvaluation(double auc, double rmseMv, double varianceExplained, long bins, int spikes) {

    public static HeldOutEvaluation of(List<SimulationTrace> traces, PredictResponse response, int skipMs) {
        if (response.getNeuronsCount() != traces.size()) {
            throw new IllegalArgumentException("expected " + traces.size() + " predictions, got " + response.getNeuronsCount());
        }
        int perTrace = traces.get(0).durationMs() - skipMs;
        int total = perTrace * traces.size();
        float[] scores = new float[total];
        boolean[] labels = new boolean[total];
        float[] predictedMv = new float[total];
        float[] targetMv = new float[total];
        int spikes = 0;
        for (int n = 0; n < traces.size(); n++) {
            SimulationTrace t = traces.get(n);
            NeuronPrediction p = response.getNeurons(n);
            boolean[] l = t.spikeLabels();
            float[] clipped = t.clippedSomaMv(t.meta().getVThresholdMv());
            for (int i = 0; i < perTrace; i++) {
                int bin = skipMs + i;
                int k = n * perTrace + i;
                scores[k] = p.getSpikeProb(bin);
                labels[k] = l[bin];
                spikes += l[bin] ? 1 : 0;
                predictedMv[k] = p.getSomaMv(bin);
                targetMv[k] = clipped[bin];
            }
        }
        return new HeldOutEvaluation(SpikeMetrics.auc(scores, labels), VoltageMetrics.rmse(predictedMv, targetMv),
                VoltageMetrics.varianceExplained(predictedMv, targetMv), total, spikes);
    }
}

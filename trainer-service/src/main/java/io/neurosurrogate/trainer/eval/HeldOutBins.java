package io.neurosurrogate.trainer.eval;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;

import java.util.List;

/**
 * Predictions and targets of held-out simulations pooled over their 1 ms bins, the first
 * {@code skipInitialMs} of every simulation left out (Beniaguev et al. 2021 skip 500 ms: the
 * initial transient, and bins whose receptive field would reach before the simulation start).
 */
record HeldOutBins(float[] spikeProb, boolean[] spikeLabel, float[] voltageNorm, float[] targetNorm,
                   float[] somaMvPredicted, float[] somaMvTarget) {

    static HeldOutBins pool(List<SimulationTrace> sims, List<SimulationPrediction> predictions,
                            VoltageNormalisation norm, int skipInitialMs) {
        if (sims.size() != predictions.size()) {
            throw new IllegalArgumentException(sims.size() + " simulations but " + predictions.size() + " predictions");
        }
        int total = 0;
        for (SimulationTrace s : sims) {
            total += Math.max(0, s.durationMs() - skipInitialMs);
        }
        HeldOutBins out = new HeldOutBins(new float[total], new boolean[total], new float[total], new float[total],
                new float[total], new float[total]);
        int k = 0;
        for (int i = 0; i < sims.size(); i++) {
            SimulationTrace s = sims.get(i);
            SimulationPrediction p = predictions.get(i);
            if (p.spikeProb().length != s.durationMs()) {
                throw new IllegalArgumentException("prediction of " + s.meta().getSimulationId() + " has " + p.spikeProb().length + " bins, simulation " + s.durationMs());
            }
            boolean[] labels = s.spikeLabels();
            float[] clipped = s.clippedSomaMv(norm.clipMv());
            float mean = (float) norm.meanMv();
            float std = (float) norm.stdMv();
            for (int t = skipInitialMs; t < s.durationMs(); t++, k++) {
                out.spikeProb[k] = p.spikeProb()[t];
                out.spikeLabel[k] = labels[t];
                out.voltageNorm[k] = p.voltageNorm()[t];
                out.targetNorm[k] = (clipped[t] - mean) / std;
                out.somaMvPredicted[k] = norm.toMv(p.voltageNorm()[t]);
                out.somaMvTarget[k] = clipped[t];
            }
        }
        return out;
    }

    int size() {
        return spikeProb.length;
    }
}

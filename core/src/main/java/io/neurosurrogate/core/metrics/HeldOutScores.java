package io.neurosurrogate.core.metrics;

import io.neurosurrogate.core.trace.SimulationTrace;

import java.util.List;

/**
 * The paper's held-out scores (Beniaguev et al. 2021) over 1 ms bins pooled across simulations:
 * spike AUC, hit rates at 0.25 % and 1 % false alarms (and the 0.25 % threshold), soma RMSE and
 * variance explained of the voltage clipped at the threshold. Shared by the trainer's evaluation
 * and by clients that score a served model. Values are NaN where undefined (no spike, say).
 */
public record HeldOutScores(double auc, double thresholdAt0p25Fa, double hitRateAt0p25Fa, double hitRateAt1Fa,
                            double rmseMv, double varianceExplained, long bins, int spikes) {

    /** Pooled bins: spike probability and label, predicted and target (clipped) voltage in mV. */
    public record Bins(float[] spikeProb, boolean[] spikeLabel, float[] predictedMv, float[] targetMv) {
        public int size() {
            return spikeProb.length;
        }
    }

    /**
     * Pools per-simulation predictions (full length, one value per 1 ms bin) against the simulated
     * traces, leaving out the first {@code skipMs} of each simulation; targets are clipped at
     * {@code clipMv}.
     */
    public static Bins pool(List<SimulationTrace> traces, List<float[]> spikeProb, List<float[]> predictedMv,
                            double clipMv, int skipMs) {
        if (traces.size() != spikeProb.size() || traces.size() != predictedMv.size()) {
            throw new IllegalArgumentException(traces.size() + " simulations but " + spikeProb.size() + " / "
                    + predictedMv.size() + " predictions");
        }
        int total = 0;
        for (SimulationTrace t : traces) {
            total += Math.max(0, t.durationMs() - skipMs);
        }
        Bins out = new Bins(new float[total], new boolean[total], new float[total], new float[total]);
        int k = 0;
        for (int n = 0; n < traces.size(); n++) {
            SimulationTrace t = traces.get(n);
            float[] p = spikeProb.get(n);
            float[] v = predictedMv.get(n);
            if (p.length != t.durationMs() || v.length != t.durationMs()) {
                throw new IllegalArgumentException("prediction of " + t.meta().getSimulationId() + " has " + p.length + " bins, simulation "
                        + t.durationMs());
            }
            boolean[] labels = t.spikeLabels();
            float[] clipped = t.clippedSomaMv(clipMv);
            for (int i = skipMs; i < t.durationMs(); i++, k++) {
                out.spikeProb[k] = p[i];
                out.spikeLabel[k] = labels[i];
                out.predictedMv[k] = v[i];
                out.targetMv[k] = clipped[i];
            }
        }
        return out;
    }

    public static HeldOutScores of(Bins b) {
        int spikes = 0;
        for (boolean l : b.spikeLabel()) {
            spikes += l ? 1 : 0;
        }
        double t025 = SpikeMetrics.thresholdAtFalseAlarm(b.spikeProb(), b.spikeLabel(), 0.0025);
        double t1 = SpikeMetrics.thresholdAtFalseAlarm(b.spikeProb(), b.spikeLabel(), 0.01);
        return new HeldOutScores(SpikeMetrics.auc(b.spikeProb(), b.spikeLabel()), t025,
                SpikeMetrics.hitRate(b.spikeProb(), b.spikeLabel(), t025), SpikeMetrics.hitRate(b.spikeProb(), b.spikeLabel(), t1),
                VoltageMetrics.rmse(b.predictedMv(), b.targetMv()), VoltageMetrics.varianceExplained(b.predictedMv(), b.targetMv()),
                b.size(), spikes);
    }
}

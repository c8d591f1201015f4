package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.proto.v1.EvaluationMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Held-out predictions with known separability: spike probability U(0.5, 1) in bins with a
 * simulated spike, U(0, 0.6) elsewhere; soma voltage a slow random walk near -70 mV with spikes to
 * +30 mV, predicted voltage the clipped trace plus noise.
 */
final class SyntheticHeldOut {
    static final double CLIP_MV = -55;

    private SyntheticHeldOut() {
    }

    static SimulationResult simulation(String id, int durationMs, double rateHz, long seed) {
        Random r = new Random(seed);
        List<Double> spikes = new ArrayList<>();
        for (int t = 0; t < durationMs; t++) {
            if (r.nextDouble() < rateHz / 1000) {
                spikes.add(t + r.nextDouble());
            }
        }
        double[] times = new double[spikes.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = spikes.get(i);
        }
        boolean[] label = new boolean[durationMs];
        for (double t : times) {
            label[(int) Math.floor(t)] = true;
        }
        float[] p = new float[durationMs];
        float[] sim = new float[durationMs];
        float[] pred = new float[durationMs];
        double v = -70;
        for (int t = 0; t < durationMs; t++) {
            v += 0.3 * r.nextGaussian() + 0.02 * (-68 - v);
            sim[t] = (float) (label[t] ? 30 : v);
            pred[t] = (float) (Math.min(sim[t], CLIP_MV) + 0.8 * r.nextGaussian());
            p[t] = (float) (label[t] ? 0.5 + 0.5 * r.nextDouble() : 0.6 * r.nextDouble());
        }
        return new SimulationResult(id, p, pred, sim, CLIP_MV, times);
    }

    static List<SimulationResult> simulations(String prefix, int count, int durationMs, double rateHz, long seed) {
        List<SimulationResult> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(simulation(prefix + "-" + i, durationMs, rateHz, seed + i));
        }
        return out;
    }

    static EvaluationMetrics metrics(double threshold) {
        return EvaluationMetrics.newBuilder().setSpikeAuc(0.93).setSomaRmseMv(0.8).setVarianceExplained(0.91)
                .setThresholdAt0P25Fa(threshold).setHitRateAt0P25Fa(0.2).setHitRateAt1Fa(0.4).setTestSimulations(3)
                .setTestBins(16_500).setOnnxMaxAbsDiff(1.5e-6).setValAuc(0.92).setSomaMaeMv(0.6).build();
    }

    static List<EpochRecord> history(int epochs) {
        List<EpochRecord> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double lr = e <= 8 ? 1e-3 : e <= 14 ? 3e-4 : 1e-4;
            double wv = e <= 10 ? 0.02 : 0.01;
            out.add(new EpochRecord(e, 0.9 * Math.exp(-0.15 * e) + 0.05, 1.0 * Math.exp(-0.12 * e) + 0.08,
                    e == 1 ? Double.NaN : 0.9 + 0.08 * (1 - Math.exp(-0.3 * e)), lr, 1.0, wv, 12.5 + e));
        }
        return out;
    }
}

package io.neurosurrogate.trainer.eval.report;

import java.util.Arrays;

/**
 * The stretch of one held-out simulation the voltage figure shows: the simulation with the most
 * simulated output spikes in its counted bins (ties: the first), and within it the
 * {@value #WINDOW_MS} ms window after skipInitialMs (start on a {@value #STEP_MS} ms grid) holding the
 * most of them (ties: the earliest). Predicted spikes are the bins where the spike probability
 * crosses {@code threshold} from below.
 *
 * @param thresholdFromMetrics whether {@code threshold} is the set's {@code threshold_at_0p25_fa}
 *                             (otherwise it was unset and the 0.25 % threshold of the pooled bins is used)
 */
record VoltageExample(SimulationResult simulation, int startMs, int endMs, double threshold, boolean thresholdFromMetrics,
                      double[] simulatedSpikesMs, double[] predictedSpikesMs) {

    static final int WINDOW_MS = 3000;
    static final int STEP_MS = 100;

    static VoltageExample choose(HeldOutSet set, double fallbackThreshold) {
        int skip = set.skipInitialMs();
        SimulationResult best = null;
        int bestSpikes = -1;
        for (SimulationResult s : set.simulations()) {
            if (s.bins() <= skip) {
                continue;
            }
            int spikes = countSpikes(s.outputSpikeTimesMs(), skip, s.bins());
            if (spikes > bestSpikes) {
                best = s;
                bestSpikes = spikes;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("held-out set '" + set.name() + "': no simulation is longer than skipInitialMs=" + skip);
        }
        int width = Math.min(WINDOW_MS, best.bins() - skip);
        int start = skip;
        int startSpikes = -1;
        for (int s = skip; s + width <= best.bins(); s += STEP_MS) {
            int spikes = countSpikes(best.outputSpikeTimesMs(), s, s + width);
            if (spikes > startSpikes) {
                start = s;
                startSpikes = spikes;
            }
        }
        int end = start + width;
        double metricThreshold = set.metrics().getThresholdAt0P25Fa();
        boolean fromMetrics = metricThreshold > 0 && Double.isFinite(metricThreshold);
        double threshold = fromMetrics ? metricThreshold : fallbackThreshold;
        return new VoltageExample(best, start, end, threshold, fromMetrics, spikesIn(best.outputSpikeTimesMs(), start, end),
                crossings(best.spikeProb(), threshold, start, end));
    }

    String simulationId() {
        return simulation.simulationId();
    }

    /** Spikes whose 1 ms bin floor(t) lies in [fromMs, toMs). */
    private static int countSpikes(double[] spikeTimesMs, int fromMs, int toMs) {
        int n = 0;
        for (double t : spikeTimesMs) {
            double bin = Math.floor(t);
            if (bin >= fromMs && bin < toMs) {
                n++;
            }
        }
        return n;
    }

    private static double[] spikesIn(double[] spikeTimesMs, int fromMs, int toMs) {
        double[] out = new double[countSpikes(spikeTimesMs, fromMs, toMs)];
        int k = 0;
        for (double t : spikeTimesMs) {
            double bin = Math.floor(t);
            if (bin >= fromMs && bin < toMs) {
                out[k++] = t;
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Bins t in [fromMs, toMs) with p[t] >= threshold and p[t - 1] < threshold. */
    static double[] crossings(float[] p, double threshold, int fromMs, int toMs) {
        double[] out = new double[toMs - fromMs];
        int n = 0;
        for (int t = Math.max(1, fromMs); t < toMs; t++) {
            if (p[t] >= threshold && p[t - 1] < threshold) {
                out[n++] = t;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The window's values; anything not finite becomes NaN, a gap in the line (XChart rejects infinities). */
    double[] window(float[] values) {
        double[] out = new double[endMs - startMs];
        for (int i = 0; i < out.length; i++) {
            float v = values[startMs + i];
            out[i] = Float.isFinite(v) ? v : Double.NaN;
        }
        return out;
    }
}

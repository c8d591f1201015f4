package io.neurosurrogate.simulator.engine;

/**
 * How closely two simulations of the same input agree, as the issue measures the Java engine against
 * NEURON: RMSE of the soma voltage clipped at {@code clipMv} (sub-threshold: spikes removed, as the
 * surrogate's voltage target), spike counts, and the fraction of spikes with a partner in the other
 * run within {@code toleranceMs} (one-to-one, greedy in time order).
 */
public record TraceComparison(double clippedRmseMv, int spikesA, int spikesB, int matched, double toleranceMs) {

    public static TraceComparison of(NeuronResponse a, NeuronResponse b, double clipMv, double toleranceMs) {
        float[] va = a.somaMv();
        float[] vb = b.somaMv();
        if (va.length != vb.length) {
            throw new IllegalArgumentException("traces differ in length: " + va.length + " vs " + vb.length);
        }
        double sum = 0;
        for (int i = 0; i < va.length; i++) {
            double d = Math.min(va[i], clipMv) - Math.min(vb[i], clipMv);
            sum += d * d;
        }
        double rmse = va.length == 0 ? 0 : Math.sqrt(sum / va.length);
        return new TraceComparison(rmse, a.spikeTimesMs().length, b.spikeTimesMs().length,
                matchSpikes(a.spikeTimesMs(), b.spikeTimesMs(), toleranceMs), toleranceMs);
    }

    /** One-to-one matches within the tolerance between two sorted spike-time lists (two-pointer sweep). */
    static int matchSpikes(double[] x, double[] y, double toleranceMs) {
        int i = 0;
        int j = 0;
        int matched = 0;
        while (i < x.length && j < y.length) {
            double d = x[i] - y[j];
            if (Math.abs(d) <= toleranceMs) {
                matched++;
                i++;
                j++;
            } else if (d < 0) {
                i++;
            } else {
                j++;
            }
        }
        return matched;
    }

    /** Matched spikes over the larger count (1 when neither run spikes). */
    public double spikeMatch() {
        int n = Math.max(spikesA, spikesB);
        return n == 0 ? 1.0 : (double) matched / n;
    }

    /** |count A - count B| / count B (0 when neither spikes). */
    public double countDifference() {
        if (spikesB == 0) {
            return spikesA == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(spikesA - spikesB) / (double) spikesB;
    }
}

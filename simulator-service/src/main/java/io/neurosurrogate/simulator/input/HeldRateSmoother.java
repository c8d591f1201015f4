package io.neurosurrogate.simulator.input;

/**
 * Gaussian smoothing of rates that are constant on a uniform grid of hold intervals: interval
 * {@code j} covers the 1 ms bins [j * hold, min(duration, (j + 1) * hold)). Because a rate is
 * constant on each interval, the smoothed value at bin {@code t} is a weighted sum of the interval
 * values, the weight of interval {@code j} being the kernel mass it covers seen from {@code t}.
 * Those weights depend only on {@code t}, so they are computed once per bin and shared by every
 * synapse. The kernel (sigma in ms) is truncated at 4 sigma and renormalised over the bins that
 * exist near the edges, so a constant rate stays constant. Immutable.
 */
final class HeldRateSmoother {
    /** Truncation: the lost mass is below 1e-4 and the kernel is renormalised anyway. */
    private static final double KERNEL_RADIUS_SIGMAS = 4.0;

    private final int holdMs;
    private final int durationMs;
    private final int radius;
    /** {@code cumulative[d + radius + 1]} = kernel mass at offsets -radius..d; {@code cumulative[0] = 0}. */
    private final double[] cumulative;

    HeldRateSmoother(int holdMs, int durationMs, double sigmaMs) {
        this.holdMs = holdMs;
        this.durationMs = durationMs;
        this.radius = (int) Math.ceil(KERNEL_RADIUS_SIGMAS * sigmaMs);
        this.cumulative = new double[2 * radius + 2];
        double twoSigmaSq = 2.0 * sigmaMs * sigmaMs;
        for (int d = -radius; d <= radius; d++) {
            cumulative[d + radius + 1] = cumulative[d + radius] + Math.exp(-(double) d * d / twoSigmaSq);
        }
    }

    int intervals() {
        return (durationMs + holdMs - 1) / holdMs;
    }

    /** Upper bound on the number of intervals one bin's window overlaps (scratch size for {@link #weights}). */
    int maxWindowIntervals() {
        return Math.min(intervals(), 2 * radius / holdMs + 2);
    }

    /**
     * Writes the normalised weights of the intervals bin {@code t} sees into {@code out[0..n)} and
     * returns the first interval's index; n is {@code lastWindowInterval(t) - first + 1}.
     */
    int weights(int t, double[] out) {
        int lo = Math.max(0, t - radius);
        int hi = Math.min(durationMs - 1, t + radius);
        int first = lo / holdMs;
        int last = hi / holdMs;
        double norm = mass(lo - t, hi - t);
        for (int j = first; j <= last; j++) {
            int from = Math.max(j * holdMs, lo);
            int to = Math.min((j + 1) * holdMs - 1, hi);
            out[j - first] = mass(from - t, to - t) / norm;
        }
        return first;
    }

    /** Index of the last interval bin {@code t} sees. */
    int lastWindowInterval(int t) {
        return Math.min(durationMs - 1, t + radius) / holdMs;
    }

    /** The smoothed per-bin series of one per-interval series (for totals and tests; allocates). */
    double[] smooth(double[] perInterval) {
        double[] out = new double[durationMs];
        double[] w = new double[maxWindowIntervals()];
        for (int t = 0; t < durationMs; t++) {
            int first = weights(t, w);
            int n = lastWindowInterval(t) - first + 1;
            double sum = 0.0;
            for (int k = 0; k < n; k++) {
                sum += perInterval[first + k] * w[k];
            }
            out[t] = sum;
        }
        return out;
    }

    /** Kernel mass at offsets from..to (inclusive, both within +-radius). */
    private double mass(int from, int to) {
        return cumulative[to + radius + 1] - cumulative[from + radius];
    }
}

package io.neurosurrogate.simulator.input;

import io.neurosurrogate.simulator.engine.SynapticInput;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random input of Beniaguev, Segev &amp; London (Neuron 2021) for the I&amp;F neuron, from one seed:
 * <ol>
 *   <li>per simulation a base hold length ~ U[hold_min, hold_max] and a smoothing sigma
 *       ~ U[sigma_min, sigma_max] + U[-jitter, jitter] (at least 1 ms);</li>
 *   <li>per hold interval (base + U[-jitter, jitter], at least 1 ms) a total excitatory count per
 *       100 ms ~ U[0, exc_max] and an inhibitory one = excitatory + U[delta_min, delta_max],
 *       floored at 0;</li>
 *   <li>both piecewise-constant total rates smoothed with a Gaussian of that sigma;</li>
 *   <li>the total spread over the synapses of each kind with per-synapse factors U(0.5, 1.5),
 *       normalised so the total is kept;</li>
 *   <li>one Bernoulli draw per synapse and 1 ms bin.</li>
 * </ol>
 * Instances are immutable and thread-safe; each call owns its random stream.
 */
public final class RandomInputGenerator {
    /** Kernel truncated at 4 sigma: the lost mass is below 1e-4 and the kernel is renormalised anyway. */
    private static final double KERNEL_RADIUS_SIGMAS = 4.0;

    private final InputRanges ranges;

    public RandomInputGenerator(InputRanges ranges) {
        this.ranges = ranges;
    }

    public InputRanges ranges() {
        return ranges;
    }

    public GeneratedInput generate(int nExc, int nInh, int durationMs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double baseHoldMs = uniform(rng, ranges.holdMsMin(), ranges.holdMsMax());
        double sigmaMs = Math.max(1.0, uniform(rng, ranges.sigmaMsMin(), ranges.sigmaMsMax())
                + uniform(rng, -ranges.jitterMs(), ranges.jitterMs()));

        // Total spikes per ms over all synapses of a kind (counts per 100 ms divided by 100), per hold interval.
        HeldRates held = drawHeldRates(rng, baseHoldMs, durationMs);
        double[] cumulativeKernel = cumulativeGaussian(sigmaMs);
        double[] excSmooth = smooth(held.starts, held.exc, held.count, durationMs, cumulativeKernel);
        double[] inhSmooth = smooth(held.starts, held.inh, held.count, durationMs, cumulativeKernel);

        int[][] bins = new int[nExc + nInh][];
        int[] scratch = new int[durationMs];
        double[] excShare = synapseShares(rng, nExc);
        double[] inhShare = synapseShares(rng, nInh);
        for (int s = 0; s < nExc; s++) {
            bins[s] = bernoulliSpikes(rng, excSmooth, excShare[s], scratch);
        }
        for (int s = 0; s < nInh; s++) {
            bins[nExc + s] = bernoulliSpikes(rng, inhSmooth, inhShare[s], scratch);
        }

        Map<String, String> params = new LinkedHashMap<>();
        params.put("input.generator", "beniaguev2021-iaf");
        params.put("input.exc_per_100ms_max", Double.toString(ranges.excPer100msMax()));
        params.put("input.inh_delta_min", Double.toString(ranges.inhDeltaMin()));
        params.put("input.inh_delta_max", Double.toString(ranges.inhDeltaMax()));
        params.put("input.hold_ms_min", Double.toString(ranges.holdMsMin()));
        params.put("input.hold_ms_max", Double.toString(ranges.holdMsMax()));
        params.put("input.smoothing_sigma_ms_min", Double.toString(ranges.sigmaMsMin()));
        params.put("input.smoothing_sigma_ms_max", Double.toString(ranges.sigmaMsMax()));
        params.put("input.jitter_ms", Double.toString(ranges.jitterMs()));
        params.put("input.hold_ms_base", Double.toString(baseHoldMs));
        params.put("input.hold_intervals", Integer.toString(held.count));
        params.put("input.smoothing_sigma_ms", Double.toString(sigmaMs));
        params.put("input.mean_exc_per_100ms", Double.toString(held.meanExc(durationMs) * 100.0));
        params.put("input.mean_inh_per_100ms", Double.toString(held.meanInh(durationMs) * 100.0));
        return new GeneratedInput(new SynapticInput(nExc, nInh, durationMs, bins), params);
    }

    /** Piecewise-constant total rates: interval {@code j} covers [starts[j], starts[j + 1]). */
    private static final class HeldRates {
        final int[] starts;
        final double[] exc;
        final double[] inh;
        int count;

        HeldRates(int durationMs) {
            starts = new int[durationMs + 1];
            exc = new double[durationMs];
            inh = new double[durationMs];
        }

        double meanExc(int durationMs) {
            return weightedMean(exc, durationMs);
        }

        double meanInh(int durationMs) {
            return weightedMean(inh, durationMs);
        }

        private double weightedMean(double[] rate, int durationMs) {
            double sum = 0.0;
            for (int j = 0; j < count; j++) {
                sum += rate[j] * (starts[j + 1] - starts[j]);
            }
            return durationMs == 0 ? 0.0 : sum / durationMs;
        }
    }

    private HeldRates drawHeldRates(SplittableRandom rng, double baseHoldMs, int durationMs) {
        HeldRates held = new HeldRates(durationMs);
        int t = 0;
        while (t < durationMs) {
            int length = (int) Math.max(1, Math.round(baseHoldMs + uniform(rng, -ranges.jitterMs(), ranges.jitterMs())));
            double exc = uniform(rng, 0.0, ranges.excPer100msMax());
            double inh = Math.max(0.0, exc + uniform(rng, ranges.inhDeltaMin(), ranges.inhDeltaMax()));
            held.starts[held.count] = t;
            held.exc[held.count] = exc / 100.0;
            held.inh[held.count] = inh / 100.0;
            held.count++;
            t = Math.min(durationMs, t + length);
        }
        held.starts[held.count] = durationMs;
        return held;
    }

    /**
     * Running sums of a Gaussian kernel truncated at +-radius: {@code c[k + radius + 1]} is the
     * kernel mass at offsets -radius..k, {@code c[0] = 0}.
     */
    static double[] cumulativeGaussian(double sigmaMs) {
        int radius = (int) Math.ceil(KERNEL_RADIUS_SIGMAS * sigmaMs);
        double[] c = new double[2 * radius + 2];
        double twoSigmaSq = 2.0 * sigmaMs * sigmaMs;
        for (int d = -radius; d <= radius; d++) {
            c[d + radius + 1] = c[d + radius] + Math.exp(-(double) d * d / twoSigmaSq);
        }
        return c;
    }

    /**
     * Gaussian smoothing of a piecewise-constant rate. Because the rate is constant on each hold
     * interval, the convolution over an interval is a difference of two running kernel sums, so each
     * bin costs one step per overlapping interval instead of one per kernel tap. Near the edges the
     * kernel is renormalised over the bins that exist, so a constant rate stays constant.
     */
    static double[] smooth(int[] starts, double[] rate, int intervals, int n, double[] cumulativeKernel) {
        int radius = (cumulativeKernel.length - 2) / 2;
        double[] out = new double[n];
        int first = 0;
        for (int t = 0; t < n; t++) {
            int lo = Math.max(0, t - radius);
            int hi = Math.min(n - 1, t + radius);
            while (starts[first + 1] <= lo) {
                first++;
            }
            double sum = 0.0;
            for (int j = first; j < intervals && starts[j] <= hi; j++) {
                int from = Math.max(starts[j], lo);
                int to = Math.min(starts[j + 1] - 1, hi);
                sum += rate[j] * kernelMass(cumulativeKernel, radius, from - t, to - t);
            }
            out[t] = sum / kernelMass(cumulativeKernel, radius, lo - t, hi - t);
        }
        return out;
    }

    /** Kernel mass at offsets from..to (inclusive, both within +-radius). */
    private static double kernelMass(double[] cumulative, int radius, int from, int to) {
        return cumulative[to + radius + 1] - cumulative[from + radius];
    }

    /** Per-synapse fractions of the total rate: U(0.5, 1.5) factors normalised to sum to 1. */
    private static double[] synapseShares(SplittableRandom rng, int n) {
        double[] share = new double[n];
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            share[i] = uniform(rng, 0.5, 1.5);
            sum += share[i];
        }
        for (int i = 0; i < n; i++) {
            share[i] /= sum;
        }
        return share;
    }

    private static int[] bernoulliSpikes(SplittableRandom rng, double[] totalRate, double share, int[] scratch) {
        int count = 0;
        for (int t = 0; t < totalRate.length; t++) {
            // A probability above 1 is only reachable with extreme overrides; one spike per bin is the cap.
            if (rng.nextDouble() < totalRate[t] * share) {
                scratch[count++] = t;
            }
        }
        return Arrays.copyOf(scratch, count);
    }

    /** Always consumes one draw, so the stream's layout does not depend on the ranges. */
    private static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }
}

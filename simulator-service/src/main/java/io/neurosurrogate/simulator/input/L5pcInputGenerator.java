package io.neurosurrogate.simulator.input;

import io.neurosurrogate.simulator.engine.SynapticInput;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The random input of Beniaguev, Segev &amp; London (Neuron 2021) for the L5PC, from one seed. The
 * cell has one excitatory (synapse {@code k}) and one inhibitory (synapse {@code nSeg + k}) synapse
 * on every dendritic segment {@code k}; every segment belongs to a tree. Per simulation:
 * <ol>
 *   <li>one hold length and one smoothing sigma (ms), see {@link L5pcInputRanges};</li>
 *   <li>per tree and hold interval a total excitatory count per 100 ms ~ U[0, exc_max] and an
 *       inhibitory one ~ U[max(0, exc + delta_min), max(0, exc + delta_max)] (the paper's script
 *       draws it this way: floored at 0, never a point mass at 0);</li>
 *   <li>per interval the tree's totals spread over its segments proportionally to
 *       (segment length + min_segment_length) times U(0.5, 1.5), the noise redrawn per segment and
 *       interval as in the paper's script, normalised so the tree's total is kept exactly;</li>
 *   <li>each segment's piecewise-constant rate smoothed with a Gaussian of that sigma
 *       ({@link HeldRateSmoother});</li>
 *   <li>one Bernoulli draw per synapse and 1 ms bin with probability = rate per ms (clipped at 1).
 *       The paper's script first draws an exponential with that mean and uses it as the
 *       probability; the resulting spike probability mu (1 - exp(-1/mu)) differs from mu by less
 *       than 1e-4 relative below 0.1 spikes per ms, so we use mu itself.</li>
 * </ol>
 * The {@link InputVariant#OOD} variant then drops inhibition, concentrates the excitation on a few
 * clusters and modulates it sinusoidally ({@link OodShape}).
 * <p>
 * Trees: the paper's script drives two groups, all basal segments together and the apical tree,
 * each with the per-tree ranges; pass {@code treeOfSegment} accordingly (0 basal, 1 apical) to
 * match it, or one id per basal root subtree for more independent drives.
 * <p>
 * Cost: the smoothing of every synapse's rate costs one multiply-add per synapse, bin and interval
 * within +-4 sigma, i.e. about {@code 2 nSeg T (1 + 8 sigma / hold)}; with the paper's grids that is
 * about 2e8 on average for 639 segments and 6 s, up to 50 times more for the rare short-hold,
 * wide-sigma draws.
 * <p>
 * Instances are immutable and thread-safe; each call owns its random stream.
 */
public final class L5pcInputGenerator {
    private final InputVariant variant;
    private final L5pcInputRanges ranges;
    private final OodShape ood;

    /** The variant with its paper defaults and the default OOD shape. */
    public L5pcInputGenerator(InputVariant variant) {
        this(variant, variant.defaultRanges(), OodShape.DEFAULT);
    }

    public L5pcInputGenerator(InputVariant variant, L5pcInputRanges ranges, OodShape ood) {
        this.variant = Objects.requireNonNull(variant, "variant");
        this.ranges = Objects.requireNonNull(ranges, "ranges");
        this.ood = Objects.requireNonNull(ood, "ood");
    }

    public InputVariant variant() {
        return variant;
    }

    public L5pcInputRanges ranges() {
        return ranges;
    }

    public OodShape ood() {
        return ood;
    }

    /**
     * One simulation's input.
     *
     * @param treeOfSegment   tree id of every segment (segment order = synapse order); ids must be
     *                        0..nTrees-1 with every tree used
     * @param segmentLengthUm length of every segment, um (finite, &gt;= 0)
     * @param durationMs      simulated time, ms (= number of 1 ms bins), &gt;= 1
     * @param seed            the simulation's seed (see {@link SimulationSeeds})
     */
    public GeneratedInput generate(int[] treeOfSegment, double[] segmentLengthUm, int durationMs, long seed) {
        Plan plan = plan(treeOfSegment, segmentLengthUm, durationMs, seed);
        int[][] bins = sample(plan);
        return new GeneratedInput(new SynapticInput(plan.nSeg, plan.nSeg, durationMs, bins), parameters(plan));
    }

    /** Everything drawn before the spikes: the rates. Package-private so tests can check expectations. */
    static final class Plan {
        int nSeg;
        int[] tree;
        double[] lengthUm;
        int[][] segmentsOfTree;
        int durationMs;
        int holdMs;
        double sigmaMs;
        HeldRateSmoother smoother;
        int intervals;
        /** Tree totals in spikes per ms: {@code [tree][interval]}. */
        double[][] excTotal;
        double[][] inhTotal;
        /** Per-segment rates in spikes per ms, {@code [segment * intervals + interval]}; inh null without inhibition. */
        double[] excRate;
        double[] inhRate;
        /** OOD only (else null / 0): per-bin factor, cluster membership and the drawn shape. */
        double[] modulation;
        boolean[] clustered;
        String clusterRuns = "";
        double depth;
        double hz;
        double phaseRad;
        SplittableRandom rng;

        /** Expected total spikes per ms of one tree's excitation, per bin (modulation included). */
        double[] expectedExcPerBin(int k) {
            double[] out = smoother.smooth(excTotal[k]);
            if (modulation != null) {
                for (int t = 0; t < out.length; t++) {
                    out[t] *= modulation[t];
                }
            }
            return out;
        }
    }

    Plan plan(int[] treeOfSegment, double[] segmentLengthUm, int durationMs, long seed) {
        Plan p = new Plan();
        validateLayout(treeOfSegment, segmentLengthUm, durationMs, p);
        SplittableRandom rng = new SplittableRandom(seed);
        p.rng = rng;

        double holdBase = fromGridOrUniform(rng, L5pcInputRanges.HOLD_GRID_MS, ranges.holdMsMin(), ranges.holdMsMax());
        p.holdMs = (int) Math.max(1, Math.round(holdBase + uniform(rng, -ranges.jitterMs(), ranges.jitterMs())));
        double sigmaBase = fromGridOrUniform(rng, L5pcInputRanges.SIGMA_GRID_MS, ranges.sigmaMsMin(), ranges.sigmaMsMax());
        p.sigmaMs = Math.max(1.0, sigmaBase + uniform(rng, -ranges.jitterMs(), ranges.jitterMs()));
        p.smoother = new HeldRateSmoother(p.holdMs, durationMs, p.sigmaMs);
        p.intervals = p.smoother.intervals();

        drawTreeTotals(rng, p);
        double[] base = lengthWeights(p);
        if (variant.isClusteredAndModulated()) {
            base = clusterWeights(rng, p, base);
            drawModulation(rng, p);
        }
        p.excRate = spread(rng, p, base, p.excTotal);
        p.inhRate = variant.hasInhibition() ? spread(rng, p, base, p.inhTotal) : null;
        return p;
    }

    /** Throws IllegalArgumentException when the layout is unusable (see {@link #generate}). */
    static void checkLayout(int[] treeOfSegment, double[] segmentLengthUm) {
        validateLayout(treeOfSegment, segmentLengthUm, 1, new Plan());
    }

    private static void validateLayout(int[] treeOfSegment, double[] lengthUm, int durationMs, Plan p) {
        Objects.requireNonNull(treeOfSegment, "treeOfSegment");
        Objects.requireNonNull(lengthUm, "segmentLengthUm");
        if (durationMs < 1) {
            throw new IllegalArgumentException("durationMs must be >= 1, got " + durationMs);
        }
        if (treeOfSegment.length != lengthUm.length) {
            throw new IllegalArgumentException("treeOfSegment has " + treeOfSegment.length
                    + " segments but segmentLengthUm has " + lengthUm.length);
        }
        if (treeOfSegment.length == 0) {
            throw new IllegalArgumentException("no segments");
        }
        int nTrees = 0;
        for (int s = 0; s < treeOfSegment.length; s++) {
            if (treeOfSegment[s] < 0) {
                throw new IllegalArgumentException("segment " + s + ": tree id must be >= 0, got " + treeOfSegment[s]);
            }
            if (!(lengthUm[s] >= 0 && Double.isFinite(lengthUm[s]))) {
                throw new IllegalArgumentException("segment " + s + ": length must be finite and >= 0 um, got " + lengthUm[s]);
            }
            nTrees = Math.max(nTrees, treeOfSegment[s] + 1);
        }
        int[] size = new int[nTrees];
        for (int id : treeOfSegment) {
            size[id]++;
        }
        int[][] members = new int[nTrees][];
        for (int k = 0; k < nTrees; k++) {
            if (size[k] == 0) {
                throw new IllegalArgumentException("tree ids must be 0.." + (nTrees - 1) + " with every tree used; tree " + k + " has no segment");
            }
            members[k] = new int[size[k]];
        }
        int[] fill = new int[nTrees];
        for (int s = 0; s < treeOfSegment.length; s++) {
            members[treeOfSegment[s]][fill[treeOfSegment[s]]++] = s;
        }
        p.nSeg = treeOfSegment.length;
        p.tree = treeOfSegment.clone();
        p.segmentsOfTree = members;
        p.durationMs = durationMs;
        p.lengthUm = lengthUm.clone();
    }

    private void drawTreeTotals(SplittableRandom rng, Plan p) {
        int nTrees = p.segmentsOfTree.length;
        p.excTotal = new double[nTrees][p.intervals];
        p.inhTotal = new double[nTrees][p.intervals];
        for (int j = 0; j < p.intervals; j++) {
            for (int k = 0; k < nTrees; k++) {
                double exc = uniform(rng, 0.0, ranges.excPer100msMax());
                double inh = uniform(rng, Math.max(0.0, exc + ranges.inhDeltaMin()), Math.max(0.0, exc + ranges.inhDeltaMax()));
                p.excTotal[k][j] = exc / 100.0;
                p.inhTotal[k][j] = variant.hasInhibition() ? inh / 100.0 : 0.0;
            }
        }
    }

    /** Segment length + the regularising minimum (paper: rates proportional to length + 10 um). */
    private double[] lengthWeights(Plan p) {
        double[] w = new double[p.nSeg];
        for (int s = 0; s < p.nSeg; s++) {
            w[s] = p.lengthUm[s] + ranges.minSegmentLengthUm();
        }
        return w;
    }

    /**
     * Per tree: a share {@code clusteredFraction} of the weight on the cluster segments (by length),
     * the rest on all segments (by length). Each tree's weights sum to 1.
     */
    private double[] clusterWeights(SplittableRandom rng, Plan p, double[] lengthW) {
        boolean[] member = new boolean[p.nSeg];
        StringBuilder runs = new StringBuilder();
        for (int[] segs : p.segmentsOfTree) {
            int clusters = uniformInt(rng, ood.clustersPerTreeMin(), ood.clustersPerTreeMax());
            for (int c = 0; c < clusters; c++) {
                int size = uniformInt(rng, ood.clusterSegmentsMin(), ood.clusterSegmentsMax());
                int start = uniformInt(rng, 0, segs.length - 1);
                int end = Math.min(segs.length, start + size);
                for (int i = start; i < end; i++) {
                    member[segs[i]] = true;
                }
                if (runs.length() > 0) {
                    runs.append(',');
                }
                runs.append(segs[start]).append('-').append(segs[end - 1]);
            }
        }
        double[] w = new double[p.nSeg];
        double c = ood.clusteredFraction();
        for (int[] segs : p.segmentsOfTree) {
            double all = 0.0;
            double inCluster = 0.0;
            for (int s : segs) {
                all += lengthW[s];
                inCluster += member[s] ? lengthW[s] : 0.0;
            }
            for (int s : segs) {
                w[s] = (1.0 - c) * lengthW[s] / all + (member[s] ? c * lengthW[s] / inCluster : 0.0);
            }
        }
        p.clustered = member;
        p.clusterRuns = runs.toString();
        return w;
    }

    private void drawModulation(SplittableRandom rng, Plan p) {
        p.depth = uniform(rng, ood.depthMin(), ood.depthMax());
        p.hz = uniform(rng, ood.hzMin(), ood.hzMax());
        p.phaseRad = uniform(rng, 0.0, 2.0 * Math.PI);
        p.modulation = new double[p.durationMs];
        double omegaPerMs = 2.0 * Math.PI * p.hz / 1000.0;
        for (int t = 0; t < p.durationMs; t++) {
            p.modulation[t] = 1.0 + p.depth * Math.sin(omegaPerMs * t + p.phaseRad);
        }
    }

    /**
     * Per interval and tree: weights times fresh U(0.5, 1.5) noise per segment, scaled so the tree's
     * segments add up to the tree's total. Returns {@code [segment * intervals + interval]}.
     */
    private static double[] spread(SplittableRandom rng, Plan p, double[] weight, double[][] total) {
        int nTrees = p.segmentsOfTree.length;
        double[] rate = new double[p.nSeg * p.intervals];
        double[] treeSum = new double[nTrees];
        for (int j = 0; j < p.intervals; j++) {
            Arrays.fill(treeSum, 0.0);
            for (int s = 0; s < p.nSeg; s++) {
                double raw = weight[s] * uniform(rng, 0.5, 1.5);
                rate[s * p.intervals + j] = raw;
                treeSum[p.tree[s]] += raw;
            }
            for (int s = 0; s < p.nSeg; s++) {
                int k = p.tree[s];
                double sum = treeSum[k];
                rate[s * p.intervals + j] = sum > 0.0 ? rate[s * p.intervals + j] * total[k][j] / sum : 0.0;
            }
        }
        return rate;
    }

    /** Bernoulli spikes, bin by bin (so every synapse's bins come out sorted and unique). */
    private static int[][] sample(Plan p) {
        int nSyn = 2 * p.nSeg;
        int[][] bins = new int[nSyn][];
        int[] count = new int[nSyn];
        for (int i = 0; i < nSyn; i++) {
            bins[i] = new int[16];
        }
        double[] w = new double[p.smoother.maxWindowIntervals()];
        int intervals = p.intervals;
        SplittableRandom rng = p.rng;
        for (int t = 0; t < p.durationMs; t++) {
            int first = p.smoother.weights(t, w);
            int n = p.smoother.lastWindowInterval(t) - first + 1;
            double factor = p.modulation == null ? 1.0 : p.modulation[t];
            for (int s = 0; s < p.nSeg; s++) {
                double prob = factor * dot(p.excRate, s * intervals + first, w, n);
                if (prob > 0.0 && rng.nextDouble() < prob) {
                    bins[s] = append(bins[s], count[s]++, t);
                }
            }
            if (p.inhRate != null) {
                for (int s = 0; s < p.nSeg; s++) {
                    double prob = dot(p.inhRate, s * intervals + first, w, n);
                    int syn = p.nSeg + s;
                    if (prob > 0.0 && rng.nextDouble() < prob) {
                        bins[syn] = append(bins[syn], count[syn]++, t);
                    }
                }
            }
        }
        for (int i = 0; i < nSyn; i++) {
            bins[i] = Arrays.copyOf(bins[i], count[i]);
        }
        return bins;
    }

    /** Four independent accumulators: the hot loop of the generator, latency-bound otherwise. */
    private static double dot(double[] rate, int offset, double[] w, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += rate[offset + k] * w[k];
            s1 += rate[offset + k + 1] * w[k + 1];
            s2 += rate[offset + k + 2] * w[k + 2];
            s3 += rate[offset + k + 3] * w[k + 3];
        }
        for (; k < n; k++) {
            s0 += rate[offset + k] * w[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static int[] append(int[] buffer, int index, int value) {
        int[] b = index < buffer.length ? buffer : Arrays.copyOf(buffer, buffer.length * 2);
        b[index] = value;
        return b;
    }

    private Map<String, String> parameters(Plan p) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("input.generator", variant.generatorName());
        params.put("input.exc_per_100ms_max", Double.toString(ranges.excPer100msMax()));
        if (variant.hasInhibition()) {
            params.put("input.inh_delta_min", Double.toString(ranges.inhDeltaMin()));
            params.put("input.inh_delta_max", Double.toString(ranges.inhDeltaMax()));
        }
        params.put("input.hold_ms_min", Double.toString(ranges.holdMsMin()));
        params.put("input.hold_ms_max", Double.toString(ranges.holdMsMax()));
        params.put("input.smoothing_sigma_ms_min", Double.toString(ranges.sigmaMsMin()));
        params.put("input.smoothing_sigma_ms_max", Double.toString(ranges.sigmaMsMax()));
        params.put("input.jitter_ms", Double.toString(ranges.jitterMs()));
        params.put("input.min_segment_length_um", Double.toString(ranges.minSegmentLengthUm()));
        params.put("input.hold_ms", Integer.toString(p.holdMs));
        params.put("input.hold_intervals", Integer.toString(p.intervals));
        params.put("input.smoothing_sigma_ms", Double.toString(p.sigmaMs));
        params.put("input.trees", Integer.toString(p.segmentsOfTree.length));
        for (int k = 0; k < p.segmentsOfTree.length; k++) {
            params.put("input.tree" + k + ".segments", Integer.toString(p.segmentsOfTree[k].length));
            params.put("input.tree" + k + ".mean_exc_per_100ms", Double.toString(heldMean(p, p.excTotal[k]) * 100.0));
            if (variant.hasInhibition()) {
                params.put("input.tree" + k + ".mean_inh_per_100ms", Double.toString(heldMean(p, p.inhTotal[k]) * 100.0));
            }
        }
        if (variant.isClusteredAndModulated()) {
            params.put("input.ood.clustered_fraction", Double.toString(ood.clusteredFraction()));
            params.put("input.ood.cluster_segments", p.clusterRuns);
            params.put("input.ood.depth", Double.toString(p.depth));
            params.put("input.ood.hz", Double.toString(p.hz));
            params.put("input.ood.phase_rad", Double.toString(p.phaseRad));
        }
        return params;
    }

    /** Time-weighted mean of a held (unsmoothed) per-interval series. */
    private static double heldMean(Plan p, double[] perInterval) {
        double sum = 0.0;
        for (int j = 0; j < p.intervals; j++) {
            int from = j * p.holdMs;
            int to = Math.min(p.durationMs, from + p.holdMs);
            sum += perInterval[j] * (to - from);
        }
        return sum / p.durationMs;
    }

    /**
     * One of the grid values inside [min, max], each equally likely (the paper's scheme); uniform in
     * [min, max] when the grid has none there. Always consumes exactly one draw.
     */
    static double fromGridOrUniform(SplittableRandom rng, double[] grid, double min, double max) {
        double u = rng.nextDouble();
        int inside = 0;
        for (double g : grid) {
            if (g >= min && g <= max) {
                inside++;
            }
        }
        if (inside == 0) {
            return min + (max - min) * u;
        }
        int pick = Math.min(inside - 1, (int) (u * inside));
        for (double g : grid) {
            if (g >= min && g <= max && pick-- == 0) {
                return g;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Always consumes one draw, so the stream's layout does not depend on the ranges. */
    private static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }

    /** Uniform integer in [min, max] (inclusive); one draw. */
    private static int uniformInt(SplittableRandom rng, int min, int max) {
        return min + (int) Math.min(max - min, Math.floor((max - min + 1.0) * rng.nextDouble()));
    }
}

package io.neurosurrogate.simulator.input;

/**
 * How the out-of-distribution input ({@link InputVariant#OOD}) departs from the training input,
 * for the generalisation tests of Beniaguev, Segev &amp; London (Neuron 2021):
 * <ul>
 *   <li>spatial clustering: every tree gets U{clustersPerTreeMin..Max} clusters, each a run of
 *       U{clusterSegmentsMin..Max} consecutive segments of that tree (consecutive in synapse order,
 *       which follows the section/segment order, so neighbouring segments on the dendrite); a
 *       fraction {@code clusteredFraction} of the tree's excitation goes to its cluster segments,
 *       the rest is spread over the whole tree as usual;</li>
 *   <li>temporal modulation: the rates are multiplied by {@code 1 + a sin(2 pi f t + phi)} with
 *       a ~ U[depthMin, depthMax] (at most 1, so rates stay non-negative), f ~ U[hzMin, hzMax] Hz and
 *       phi ~ U[0, 2 pi), one of each per simulation, shared by all trees.</li>
 * </ul>
 * The paper does not publish these numbers; the defaults are ours. Validated on construction.
 */
public record OodShape(int clustersPerTreeMin, int clustersPerTreeMax,
                       int clusterSegmentsMin, int clusterSegmentsMax,
                       double clusteredFraction,
                       double depthMin, double depthMax,
                       double hzMin, double hzMax) {

    /** 1-3 clusters of 5-15 segments per tree, 90 % of the excitation on them, 50-100 % at 1-20 Hz. */
    public static final OodShape DEFAULT = new OodShape(1, 3, 5, 15, 0.9, 0.5, 1.0, 1.0, 20.0);

    /** Nyquist frequency of 1 ms bins. */
    private static final double MAX_HZ = 500.0;

    public OodShape {
        InputChecks.requireInRange("input.ood.clusters_per_tree_min", clustersPerTreeMin, 1, 1_000_000);
        InputChecks.requireInRange("input.ood.clusters_per_tree_max", clustersPerTreeMax, 1, 1_000_000);
        InputChecks.requireInRange("input.ood.cluster_segments_min", clusterSegmentsMin, 1, 1_000_000);
        InputChecks.requireInRange("input.ood.cluster_segments_max", clusterSegmentsMax, 1, 1_000_000);
        InputChecks.requireInRange("input.ood.clustered_fraction", clusteredFraction, 0, 1);
        InputChecks.requireInRange("input.ood.depth_min", depthMin, 0, 1);
        InputChecks.requireInRange("input.ood.depth_max", depthMax, 0, 1);
        InputChecks.requireInRange("input.ood.hz_min", hzMin, 0, MAX_HZ);
        InputChecks.requireInRange("input.ood.hz_max", hzMax, 0, MAX_HZ);
        InputChecks.requireOrdered("input.ood.clusters_per_tree", clustersPerTreeMin, clustersPerTreeMax);
        InputChecks.requireOrdered("input.ood.cluster_segments", clusterSegmentsMin, clusterSegmentsMax);
        InputChecks.requireOrdered("input.ood.depth", depthMin, depthMax);
        InputChecks.requireOrdered("input.ood.hz", hzMin, hzMax);
    }
}

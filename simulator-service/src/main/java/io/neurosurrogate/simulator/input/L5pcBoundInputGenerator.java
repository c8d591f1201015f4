package io.neurosurrogate.simulator.input;

import io.neurosurrogate.proto.v1.InputStatistics;

import java.util.Objects;

/**
 * The L5PC input ({@link L5pcInputGenerator}) bound to one cell's segments: the tree of every
 * segment and its length (um), in synapse order. The arrays are copied and validated once here, so
 * every {@link #generate} call works on the same layout. Immutable and thread-safe.
 */
public final class L5pcBoundInputGenerator implements InputGenerator {
    private final L5pcInputGenerator generator;
    private final int[] treeOfSegment;
    private final double[] segmentLengthUm;

    public L5pcBoundInputGenerator(L5pcInputGenerator generator, int[] treeOfSegment, double[] segmentLengthUm) {
        this.generator = Objects.requireNonNull(generator, "generator");
        L5pcInputGenerator.checkLayout(treeOfSegment, segmentLengthUm);
        this.treeOfSegment = treeOfSegment.clone();
        this.segmentLengthUm = segmentLengthUm.clone();
    }

    /** The variant's paper ranges with {@code overrides} applied (zero fields keep the defaults). */
    public static L5pcBoundInputGenerator of(InputVariant variant, InputStatistics overrides,
                                             int[] treeOfSegment, double[] segmentLengthUm) {
        L5pcInputRanges ranges = variant.defaultRanges().overriddenBy(overrides);
        return new L5pcBoundInputGenerator(new L5pcInputGenerator(variant, ranges, OodShape.DEFAULT),
                treeOfSegment, segmentLengthUm);
    }

    public L5pcInputGenerator generator() {
        return generator;
    }

    public int segments() {
        return treeOfSegment.length;
    }

    @Override
    public GeneratedInput generate(int durationMs, long seed) {
        return generator.generate(treeOfSegment, segmentLengthUm, durationMs, seed);
    }

    @Override
    public InputStatistics effectiveStatistics() {
        return generator.ranges().toStatistics();
    }
}

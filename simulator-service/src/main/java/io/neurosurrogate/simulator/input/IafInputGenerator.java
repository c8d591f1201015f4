package io.neurosurrogate.simulator.input;

import io.neurosurrogate.proto.v1.InputStatistics;

/** The I&amp;F input ({@link RandomInputGenerator}) bound to a neuron's synapse counts. */
public record IafInputGenerator(RandomInputGenerator generator, int nExc, int nInh) implements InputGenerator {

    /** The paper's I&amp;F ranges with {@code overrides} applied (zero fields keep the defaults). */
    public static IafInputGenerator of(InputStatistics overrides, int nExc, int nInh) {
        return new IafInputGenerator(new RandomInputGenerator(InputRanges.PAPER_IAF.overriddenBy(overrides)), nExc, nInh);
    }

    @Override
    public GeneratedInput generate(int durationMs, long seed) {
        return generator.generate(nExc, nInh, durationMs, seed);
    }

    @Override
    public InputStatistics effectiveStatistics() {
        InputRanges r = generator.ranges();
        return InputStatistics.newBuilder()
                .setExcPer100MsMax(r.excPer100msMax())
                .setInhDeltaMin(r.inhDeltaMin())
                .setInhDeltaMax(r.inhDeltaMax())
                .setHoldMsMin(r.holdMsMin())
                .setHoldMsMax(r.holdMsMax())
                .setSmoothingSigmaMsMin(r.sigmaMsMin())
                .setSmoothingSigmaMsMax(r.sigmaMsMax())
                .build();
    }
}

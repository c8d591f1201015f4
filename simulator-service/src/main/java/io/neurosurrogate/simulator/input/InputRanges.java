package io.neurosurrogate.simulator.input;

import io.neurosurrogate.proto.v1.InputStatistics;

/**
 * The ranges the random input generator draws from. Defaults are the paper's I&amp;F values
 * (Beniaguev et al. 2021): 0-50 excitatory spikes per 100 ms, inhibition = excitation + U[-50, -15]
 * (floored at 0), hold intervals 25-100 ms, smoothing sigma 40-100 ms, each with +-20 ms jitter.
 * An {@link InputStatistics} field left at zero keeps the default.
 */
public record InputRanges(double excPer100msMax,
                          double inhDeltaMin, double inhDeltaMax,
                          double holdMsMin, double holdMsMax,
                          double sigmaMsMin, double sigmaMsMax,
                          double jitterMs) {

    public static final InputRanges PAPER_IAF = new InputRanges(50, -50, -15, 25, 100, 40, 100, 20);

    /** Upper bound on any rate or duration parameter: far beyond physiology, keeps arithmetic sane. */
    private static final double LIMIT = 1.0e6;

    /** Applies the non-zero fields of {@code overrides} to these defaults and validates the result. */
    public InputRanges overriddenBy(InputStatistics overrides) {
        InputRanges r = new InputRanges(
                InputChecks.pick(overrides.getExcPer100MsMax(), excPer100msMax),
                InputChecks.pick(overrides.getInhDeltaMin(), inhDeltaMin),
                InputChecks.pick(overrides.getInhDeltaMax(), inhDeltaMax),
                InputChecks.pick(overrides.getHoldMsMin(), holdMsMin),
                InputChecks.pick(overrides.getHoldMsMax(), holdMsMax),
                InputChecks.pick(overrides.getSmoothingSigmaMsMin(), sigmaMsMin),
                InputChecks.pick(overrides.getSmoothingSigmaMsMax(), sigmaMsMax),
                jitterMs);
        r.validate();
        return r;
    }

    private void validate() {
        InputChecks.requireInRange("input.exc_per_100ms_max", excPer100msMax, 0, LIMIT);
        InputChecks.requireInRange("input.inh_delta_min", inhDeltaMin, -LIMIT, LIMIT);
        InputChecks.requireInRange("input.inh_delta_max", inhDeltaMax, -LIMIT, LIMIT);
        InputChecks.requireInRange("input.hold_ms_min", holdMsMin, 1, LIMIT);
        InputChecks.requireInRange("input.hold_ms_max", holdMsMax, 1, LIMIT);
        InputChecks.requireInRange("input.smoothing_sigma_ms_min", sigmaMsMin, 1, LIMIT);
        InputChecks.requireInRange("input.smoothing_sigma_ms_max", sigmaMsMax, 1, LIMIT);
        InputChecks.requireOrdered("input.inh_delta", inhDeltaMin, inhDeltaMax);
        InputChecks.requireOrdered("input.hold_ms", holdMsMin, holdMsMax);
        InputChecks.requireOrdered("input.smoothing_sigma_ms", sigmaMsMin, sigmaMsMax);
    }
}

package io.neurosurrogate.simulator.input;

import io.neurosurrogate.core.DomainException;
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
                pick(overrides.getExcPer100MsMax(), excPer100msMax),
                pick(overrides.getInhDeltaMin(), inhDeltaMin),
                pick(overrides.getInhDeltaMax(), inhDeltaMax),
                pick(overrides.getHoldMsMin(), holdMsMin),
                pick(overrides.getHoldMsMax(), holdMsMax),
                pick(overrides.getSmoothingSigmaMsMin(), sigmaMsMin),
                pick(overrides.getSmoothingSigmaMsMax(), sigmaMsMax),
                jitterMs);
        r.validate();
        return r;
    }

    private static double pick(double override, double fallback) {
        return override == 0.0 ? fallback : override;
    }

    private void validate() {
        requireInRange("input.exc_per_100ms_max", excPer100msMax, 0, LIMIT);
        requireInRange("input.inh_delta_min", inhDeltaMin, -LIMIT, LIMIT);
        requireInRange("input.inh_delta_max", inhDeltaMax, -LIMIT, LIMIT);
        requireInRange("input.hold_ms_min", holdMsMin, 1, LIMIT);
        requireInRange("input.hold_ms_max", holdMsMax, 1, LIMIT);
        requireInRange("input.smoothing_sigma_ms_min", sigmaMsMin, 1, LIMIT);
        requireInRange("input.smoothing_sigma_ms_max", sigmaMsMax, 1, LIMIT);
        requireOrdered("input.inh_delta", inhDeltaMin, inhDeltaMax);
        requireOrdered("input.hold_ms", holdMsMin, holdMsMax);
        requireOrdered("input.smoothing_sigma_ms", sigmaMsMin, sigmaMsMax);
    }

    private static void requireInRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw DomainException.invalid(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    private static void requireOrdered(String field, double min, double max) {
        if (min > max) {
            throw DomainException.invalid(field + "_min (" + min + ") must not exceed " + field + "_max (" + max + ")");
        }
    }
}

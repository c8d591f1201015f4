package io.neurosurrogate.simulator.input;

import io.neurosurrogate.core.DomainException;

/** The validation every input-statistics record shares: INVALID_ARGUMENT naming the field. */
final class InputChecks {

    private InputChecks() {
    }

    /** {@code value} in [min, max]; NaN is refused. */
    static void requireInRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw DomainException.invalid(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** {@code field_min <= field_max}. */
    static void requireOrdered(String field, double min, double max) {
        if (min > max) {
            throw DomainException.invalid(field + "_min (" + min + ") must not exceed " + field + "_max (" + max + ")");
        }
    }

    /** An override field left at zero keeps the default. */
    static double pick(double override, double fallback) {
        return override == 0.0 ? fallback : override;
    }
}

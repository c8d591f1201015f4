package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.DomainException;

import java.util.Locale;

/** Arithmetic of a stream's step graph (StreamOpen.precision). */
public enum Precision {
    /** The exported float graphs: equal to the window graph within 1e-4. */
    FP32,
    /** Conv layers as int8 matrix products (core Int8Graphs): faster, approximate. */
    INT8;

    /**
     * "" and "fp32" are FP32, "int8" is INT8.
     *
     * @throws DomainException INVALID_ARGUMENT for anything else
     */
    public static Precision parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "", "fp32" -> FP32;
            case "int8" -> INT8;
            default -> throw DomainException.invalid("open.precision must be 'fp32' (the default) or 'int8', got '" + text + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

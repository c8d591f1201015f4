package io.neurosurrogate.core.inference;

import io.neurosurrogate.core.DomainException;

import java.util.Locale;
import java.util.Optional;

/**
 * Arithmetic of a stream's step graph (StreamOpen.precision): the one rule the inference service and
 * the gateway (Stream and Open Inference Protocol alike) check a requested precision against.
 */
public enum StreamPrecision {
    /** The exported float graphs: equal to the window graph within 1e-4. */
    FP32,
    /** Conv layers as int8 matrix products ({@link Int8Graphs}): faster, approximate. */
    INT8;

    /** The values a request may name, for messages. */
    public static final String DESCRIPTION = "'fp32' (the default) or 'int8'";

    /** "" and "fp32" are FP32, "int8" is INT8; empty for anything else (exact, lower case). */
    public static Optional<StreamPrecision> of(String text) {
        return switch (text == null ? "" : text) {
            case "", "fp32" -> Optional.of(FP32);
            case "int8" -> Optional.of(INT8);
            default -> Optional.empty();
        };
    }

    /**
     * StreamOpen.precision as {@link #of} reads it.
     *
     * @throws DomainException INVALID_ARGUMENT for a value {@link #of} does not know
     */
    public static StreamPrecision parse(String text) {
        return of(text).orElseThrow(() -> DomainException.invalid("open.precision must be " + DESCRIPTION + ", got '" + text + "'"));
    }

    /** "fp32" or "int8", as StreamOpened.precision reports it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.neurosurrogate.gateway.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a key may do. {@code predict}: serve predictions (Predict, Stream, ListModels, the Open Inference
 * Protocol); {@code train}: campaigns, simulations, training jobs, datasets and artifacts; {@code admin}:
 * everything, including methods no other scope names.
 */
public enum Scope {
    PREDICT, TRAIN, ADMIN;

    /** The name used in key entries and messages ({@code predict}, {@code train}, {@code admin}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code id}; IllegalArgumentException naming the valid ones otherwise. */
    public static Scope parse(String id) {
        for (Scope s : values()) {
            if (s.id().equals(id.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + id + "' (valid: "
                + Arrays.stream(values()).map(Scope::id).collect(Collectors.joining(", ")) + ")");
    }
}

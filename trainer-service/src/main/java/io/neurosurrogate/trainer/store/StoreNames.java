package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.DomainException;

import java.util.regex.Pattern;

/**
 * Names that become directory names in the stores (neuron models, simulation ids, model names).
 * Only a conservative character set is accepted, so a record from Kafka or a gRPC caller can never
 * address a path outside the data directory.
 */
public final class StoreNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * A neuron model may add a variant after one colon: the simulator's {@code l5pc-nmda:NAME} (a user
     * morphology) and {@code neuron-cell:NAME}. A colon is an ordinary file-name character here, and
     * neither part may start with a dot or contain a slash.
     */
    private static final Pattern NEURON_MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(:[A-Za-z0-9][A-Za-z0-9._-]{0,127})?");

    private StoreNames() {
    }

    public static boolean isSafe(String name) {
        return name != null && SAFE.matcher(name).matches();
    }

    /** @throws DomainException INVALID_ARGUMENT naming the field when {@code name} is not a neuron model name */
    public static String requireNeuronModel(String field, String name) {
        if (name == null || !NEURON_MODEL.matcher(name).matches()) {
            throw DomainException.invalid(field + " must match " + NEURON_MODEL.pattern() + ", got '" + name + "'");
        }
        return name;
    }

    /** @throws DomainException INVALID_ARGUMENT naming the field when {@code name} is not a safe name */
    public static String requireSafe(String field, String name) {
        if (!isSafe(name)) {
            throw DomainException.invalid(field + " must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}, got '" + name + "'");
        }
        return name;
    }
}

package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.core.DomainException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The engines this service can run, by model name ("iaf", "l5pc-ampa", "l5pc-nmda", ...) and
 * simulator kind ({@link NeuronEngine#JAVA}, {@link NeuronEngine#NEURON}).
 */
public final class NeuronEngines {
    private final Map<String, NeuronEngine> byKey = new LinkedHashMap<>();
    private final Set<String> names = new LinkedHashSet<>();

    public NeuronEngines(NeuronEngine... engines) {
        for (NeuronEngine e : engines) {
            add(e);
        }
    }

    /** Registers one more engine; a second engine with the same name and kind is an error. */
    public NeuronEngines add(NeuronEngine e) {
        if (byKey.putIfAbsent(key(e.name(), e.kind()), e) != null) {
            throw new IllegalArgumentException("two " + e.kind() + " engines named " + e.name());
        }
        names.add(e.name());
        return this;
    }

    /** Only the I&amp;F engine; the service adds the biophysical models ({@code SimulatorBeans}). */
    public static NeuronEngines builtIn() {
        return new NeuronEngines(new IntegrateAndFireEngine());
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(names);
    }

    /** The Java engine for {@code name}. */
    public NeuronEngine byName(String name) {
        return byName(name, NeuronEngine.JAVA);
    }

    /**
     * The engine for {@code name} run by {@code kind} ("" means Java), or INVALID_ARGUMENT naming
     * what exists; FAILED_PRECONDITION when the model exists but not on that simulator.
     */
    public NeuronEngine byName(String name, String kind) {
        String k = kind == null || kind.isEmpty() ? NeuronEngine.JAVA : kind;
        if (!k.equals(NeuronEngine.JAVA) && !k.equals(NeuronEngine.NEURON)) {
            throw DomainException.invalid("unknown engine '" + kind + "'; known engines: java, neuron");
        }
        NeuronEngine engine = byKey.get(key(name, k));
        if (engine != null) {
            return engine;
        }
        if (!names.contains(name)) {
            throw DomainException.invalid("unknown neuron_model '" + name + "'; known models: " + String.join(", ", names));
        }
        throw DomainException.failedPrecondition("neuron_model '" + name + "' cannot run on engine '" + k + "' here"
                + (k.equals(NeuronEngine.NEURON) ? " (NEURON is not installed on this simulator, or the model has no NEURON version)" : ""));
    }

    private static String key(String name, String kind) {
        return name + "\u0000" + kind;
    }
}

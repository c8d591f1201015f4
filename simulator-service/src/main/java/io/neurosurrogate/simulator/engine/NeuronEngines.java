package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.core.DomainException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The engines this service can run, by model name ("iaf"; later "l5pc-ampa", "l5pc-nmda"). */
public final class NeuronEngines {
    private final Map<String, NeuronEngine> byName = new LinkedHashMap<>();

    public NeuronEngines(NeuronEngine... engines) {
        for (NeuronEngine e : engines) {
            if (byName.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("two engines named " + e.name());
            }
        }
    }

    /** The engines built into this service. */
    public static NeuronEngines builtIn() {
        return new NeuronEngines(new IntegrateAndFireEngine());
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /** The engine for {@code name}, or INVALID_ARGUMENT naming the known models. */
    public NeuronEngine byName(String name) {
        NeuronEngine engine = byName.get(name);
        if (engine == null) {
            throw DomainException.invalid("unknown neuron_model '" + name + "'; known models: " + String.join(", ", byName.keySet()));
        }
        return engine;
    }
}

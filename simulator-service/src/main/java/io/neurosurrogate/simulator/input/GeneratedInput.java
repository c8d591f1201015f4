package io.neurosurrogate.simulator.input;

import io.neurosurrogate.simulator.engine.SynapticInput;

import java.util.Map;

/** The spikes of one simulation and the generator's per-simulation choices (for the trace metadata). */
public record GeneratedInput(SynapticInput spikes, Map<String, String> parameters) {
}

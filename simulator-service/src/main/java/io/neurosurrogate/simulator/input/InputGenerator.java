package io.neurosurrogate.simulator.input;

import io.neurosurrogate.proto.v1.InputStatistics;

/**
 * Random synaptic input for one neuron model, already bound to its synapse layout (how many
 * synapses, and for a biophysical cell which tree and segment each sits on). Immutable and
 * thread-safe: every call owns its random stream, so the same seed gives the same input.
 */
public interface InputGenerator {

    GeneratedInput generate(int durationMs, long seed);

    /** The statistics actually used (defaults resolved), as the campaign status reports them. */
    InputStatistics effectiveStatistics();
}

package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.input.InputGenerator;

import java.util.Map;

/**
 * A neuron model that can be simulated under synaptic input. Implementations are stateless between
 * calls and safe to use from several worker threads at once.
 */
public interface NeuronEngine {

    /** Java engines (the default). */
    String JAVA = "java";
    /** The NEURON backend. */
    String NEURON = "neuron";

    /** Model name as used in {@code CampaignSpec.neuron_model}, e.g. "iaf". */
    String name();

    /** Which simulator runs it: {@link #JAVA} or {@link #NEURON} ({@code CampaignSpec.engine}). */
    default String kind() {
        return JAVA;
    }

    /** The model's random input (the paper's scheme for it) with {@code overrides} applied; INVALID_ARGUMENT if bad. */
    InputGenerator inputGenerator(InputStatistics overrides);

    int nExc();

    int nInh();

    /** Resting / reset potential, for the trace metadata. */
    double vRestMv();

    /** Spike threshold, for spike-removed voltage targets downstream. */
    double vThresholdMv();

    /** Integration step of the engine in ms. */
    double simDtMs();

    /** Model parameters recorded in every trace's metadata, for provenance. */
    Map<String, String> parameters();

    /** Simulates {@code input.durationMs()} ms. The input must have {@link #nExc()} + {@link #nInh()} synapses. */
    NeuronResponse simulate(SynapticInput input);
}

package io.neurosurrogate.simulator.engine;

import java.util.Map;

/**
 * A neuron model that can be simulated under synaptic input. Implementations are stateless between
 * calls and safe to use from several worker threads at once.
 */
public interface NeuronEngine {

    /** Model name as used in {@code CampaignSpec.neuron_model}, e.g. "iaf". */
    String name();

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

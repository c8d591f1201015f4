package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.simulator.engine.NeuronEngine;
import io.neurosurrogate.simulator.engine.NeuronResponse;
import io.neurosurrogate.simulator.input.GeneratedInput;
import io.neurosurrogate.simulator.input.InputGenerator;

/**
 * Runs one simulation: random input from the seed, the engine on it, and the result as a
 * {@link SimulationTrace} with complete metadata. The same arguments always give the same trace
 * (apart from {@code created_at_ms}).
 */
public final class TraceSimulator {
    /** Output bins are 1 ms (the surrogate's time base). */
    public static final double OUTPUT_DT_MS = 1.0;

    private TraceSimulator() {
    }

    public static SimulatedTrace simulate(NeuronEngine engine, InputGenerator generator, String campaignId,
                                          String simulationId, int simIndex, long seed, int durationMs) {
        GeneratedInput input = generator.generate(durationMs, seed);
        long start = System.nanoTime();
        NeuronResponse response = engine.simulate(input.spikes());
        long engineNanos = System.nanoTime() - start;

        SimulationMetadata meta = SimulationMetadata.newBuilder()
                .setSimulationId(simulationId)
                .setCampaignId(campaignId)
                .setNeuronModel(engine.name())
                .setSeed(seed)
                .setSimIndex(simIndex)
                .setDtMs(OUTPUT_DT_MS)
                .setSimDtMs(engine.simDtMs())
                .setDurationMs(durationMs)
                .setNExc(engine.nExc())
                .setNInh(engine.nInh())
                .setEngine(engine.kind())
                .setVRestMv(engine.vRestMv())
                .setVThresholdMv(engine.vThresholdMv())
                .setCreatedAtMs(System.currentTimeMillis())
                .putAllParams(engine.parameters())
                .putAllParams(input.parameters())
                .build();
        SimulationTrace trace = new SimulationTrace(meta, input.spikes().spikeBins(), response.somaMv(), response.spikeTimesMs(),
                response.nexusMv());
        return new SimulatedTrace(trace, engineNanos);
    }

    /** "&lt;campaign_id&gt;-&lt;index, zero-padded to 6&gt;", the Kafka key of the simulation's chunks. */
    public static String simulationId(String campaignId, int index) {
        return String.format("%s-%06d", campaignId, index);
    }
}

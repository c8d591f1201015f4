package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.engine.NeuronEngine;
import io.neurosurrogate.simulator.engine.NeuronEngines;

import java.util.List;

/**
 * One simulation run synchronously for a caller (no Kafka): the whole trace as a single chunk. The
 * request's seed is the simulation seed itself, so a campaign's simulation can be reproduced by
 * passing the {@code seed} from its trace metadata.
 */
public final class SingleSimulation {
    /** One chunk must stay a reasonable gRPC message: 60 s is ~250 kB of voltage plus the spikes. */
    public static final int MAX_DURATION_MS = 60_000;

    private final NeuronEngines engines;

    public SingleSimulation(NeuronEngines engines) {
        this.engines = engines;
    }

    public SimulateResponse simulate(SimulateRequest request) {
        NeuronEngine engine = engines.byName(request.getNeuronModel(), request.getEngine());
        int duration = request.getDurationMs() == 0 ? CampaignPlanner.DEFAULT_DURATION_MS : request.getDurationMs();
        CampaignPlanner.requireInRange("duration_ms", duration, CampaignPlanner.MIN_DURATION_MS, MAX_DURATION_MS);
        String simulationId = "sim-" + Long.toHexString(request.getSeed());
        SimulatedTrace result = TraceSimulator.simulate(engine, engine.inputGenerator(request.getInput()), "", simulationId, 0, request.getSeed(), duration);
        List<TraceChunk> whole = result.trace().toChunks(duration);
        return SimulateResponse.newBuilder()
                .setTrace(whole.get(0))
                .setEngineSeconds(result.engineSeconds())
                .build();
    }
}

package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.TraceChunk;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where the chunks of a simulation go (the traces topic, in production). */
public interface TracePublisher {

    /**
     * Sends all chunks of one simulation under {@code simulationId}. The future completes when every
     * chunk is acknowledged by the broker, or exceptionally with the first failure.
     */
    CompletableFuture<Void> publish(String simulationId, List<TraceChunk> chunks);
}

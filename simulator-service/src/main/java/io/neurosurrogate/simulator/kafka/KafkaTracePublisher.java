package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.SimulatorConfig;
import io.neurosurrogate.simulator.campaign.TracePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Chunks of a simulation to the traces topic, keyed by simulation id (one partition per simulation). */
@ApplicationScoped
public class KafkaTracePublisher implements TracePublisher {

    @Inject
    SimulatorProducer producer;

    @Inject
    SimulatorConfig config;

    @Override
    public CompletableFuture<Void> publish(String simulationId, List<TraceChunk> chunks) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[chunks.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = producer.send(config.tracesTopic(), simulationId, chunks.get(i).toByteArray());
        }
        return CompletableFuture.allOf(acks);
    }
}

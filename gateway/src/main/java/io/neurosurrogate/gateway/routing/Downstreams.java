package io.neurosurrogate.gateway.routing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.gateway.observability.TraceContextPropagation;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/**
 * The simulator and inference services, one plaintext channel each (the trainer replicas have their own
 * {@link TrainerReplicas}). Channels connect lazily on the first call, so the gateway starts (and answers
 * UNAVAILABLE) while the services are still coming up.
 */
@Singleton
public class Downstreams {
    private final Downstream simulator;
    private final Downstream inference;

    @Inject
    public Downstreams(GatewayConfig config) {
        simulator = open("simulator service", config.simulator(), config);
        inference = open("inference service", config.inference(), config);
    }

    public Downstream simulator() {
        return simulator;
    }

    public Downstream inference() {
        return inference;
    }

    @PreDestroy
    void close() {
        simulator.shutdown();
        inference.shutdown();
    }

    static Downstream open(String name, String address, GatewayConfig config) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address)
                .usePlaintext()
                .maxInboundMessageSize(config.downstreamMaxMessageBytes())
                .intercept(TraceContextPropagation.ofApplication())
                .build();
        return new Downstream(name, address, channel, config.unaryDeadline());
    }
}

package io.neurosurrogate.gateway.routing;

import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.gateway.observability.TraceContextPropagation;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The simulator and inference services (the trainer replicas have their own {@link TrainerReplicas}).
 * Channels connect lazily on the first call, so the gateway starts (and answers UNAVAILABLE) while the
 * services are still coming up.
 *
 * <p>The inference service may be several replicas ({@code ns.gateway.inference}, comma separated): one
 * plaintext channel per configured target, each with its own {@link CircuitBreaker}, so that the gateway knows
 * each replica's health and can pin a stream to one of them. A plain host:port target connects to one address
 * (grpc-java's pick_first, as before). A target with a scheme ({@code dns:///inference-headless:9103}) is one
 * channel with the round_robin policy over every address the name resolves to: grpc-java spreads that channel's
 * calls over them and re-resolves the name when a connection fails. The gateway then sees that channel as one
 * replica; a retry on it goes to the next address. List several targets, or one DNS target, not both kinds
 * for the same pods.
 *
 * <p>Streams to an inference replica go through a channel bound to the event loop that runs the caller's stream
 * ({@link LoopLocalChannels}; {@code ns.gateway.stream.loop-local-channels}, on by default).
 */
@Singleton
public class Downstreams {
    private static final String ROUND_ROBIN = "round_robin";
    /** A target URI with a scheme (dns:///name:port, dns://resolver/name:port), as opposed to a plain host:port. */
    private static final Pattern WITH_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

    private final Downstream simulator;
    private final Downstream inference;

    @Inject
    public Downstreams(GatewayConfig config, Vertx vertx) {
        simulator = open("simulator service", config.simulator(), config);
        inference = openReplicated("inference service", "ns.gateway.inference", config.inference(), config.routing(),
                config.unaryDeadline(), config.downstreamMaxMessageBytes(),
                config.stream().loopLocalChannels() ? vertx.nettyEventLoopGroup() : null);
    }

    public Downstream simulator() {
        return simulator;
    }

    /** The inference replicas: every unary call on them is taken for idempotent (they compute, they change nothing). */
    public Downstream inference() {
        return inference;
    }

    @PreDestroy
    void close() {
        simulator.shutdown();
        inference.shutdown();
    }

    /**
     * One service at one address: its calls are never retried; its breaker only logs (with no other replica,
     * calls go to it even while its circuit is open).
     */
    static Downstream open(String name, String address, GatewayConfig config) {
        Replica replica = replica(name, address, config.routing().circuit(), config.downstreamMaxMessageBytes(), null);
        return new Downstream(name, List.of(replica), config.unaryDeadline(), 1, Downstream.Idempotency.NOT_IDEMPOTENT);
    }

    /** A service as several replicas, each unary call idempotent and retried as {@code ns.gateway.routing} says. */
    static Downstream openReplicated(String name, String key, List<String> configured, GatewayConfig.Routing routing, Duration unaryDeadline,
                                     int maxMessageBytes) {
        return openReplicated(name, key, configured, routing, unaryDeadline, maxMessageBytes, null);
    }

    /** As above; with {@code serverLoops}, each replica's streams use channels bound to these loops ({@link LoopLocalChannels}). */
    static Downstream openReplicated(String name, String key, List<String> configured, GatewayConfig.Routing routing, Duration unaryDeadline,
                                     int maxMessageBytes, EventLoopGroup serverLoops) {
        if (routing.maxAttempts() < 1) {
            throw new IllegalArgumentException("ns.gateway.routing.max-attempts must be at least 1, not " + routing.maxAttempts());
        }
        List<Replica> replicas = new ArrayList<>();
        for (String address : ReplicaAddresses.parse(key, name, configured)) {
            replicas.add(replica(name, address, routing.circuit(), maxMessageBytes, serverLoops));
        }
        return new Downstream(name, replicas, unaryDeadline, routing.maxAttempts(), Downstream.Idempotency.IDEMPOTENT);
    }

    private static Replica replica(String name, String address, GatewayConfig.Routing.Circuit circuit, int maxMessageBytes,
                                   EventLoopGroup serverLoops) {
        CircuitBreaker breaker = new CircuitBreaker(name + " at " + address, circuit.failures(), circuit.openFor(), System::nanoTime);
        LoopLocalChannels loopChannels = serverLoops == null ? null : new LoopLocalChannels(serverLoops,
                loop -> channel(NettyChannelBuilder.forTarget(address).eventLoopGroup(loop).channelType(NioSocketChannel.class), address, maxMessageBytes));
        return new Replica(name, address, channel(ManagedChannelBuilder.forTarget(address), address, maxMessageBytes), loopChannels, breaker);
    }

    private static ManagedChannel channel(ManagedChannelBuilder<?> builder, String target, int maxMessageBytes) {
        builder.usePlaintext()
                .maxInboundMessageSize(maxMessageBytes)
                .intercept(TraceContextPropagation.ofApplication());
        if (WITH_SCHEME.matcher(target).matches()) {
            if (LoadBalancerRegistry.getDefaultRegistry().getProvider(ROUND_ROBIN) == null) {
                throw new IllegalStateException("the " + ROUND_ROBIN + " load balancing policy is not on the class path (grpc-util), needed for " + target);
            }
            builder.defaultLoadBalancingPolicy(ROUND_ROBIN);
        }
        return builder.build();
    }
}

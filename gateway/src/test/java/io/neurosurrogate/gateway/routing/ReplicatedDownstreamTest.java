package io.neurosurrogate.gateway.routing;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ns.gateway.inference read into replicas: a list of host:port, or one dns:/// target. */
class ReplicatedDownstreamTest {
    private final AtomicInteger listed = new AtomicInteger();
    private Server server;
    private Downstream downstream;

    @AfterEach
    void close() throws InterruptedException {
        if (downstream != null) {
            downstream.shutdown();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCommaSeparatedListIsOneReplicaPerAddressInOrder() {
        downstream = open(List.of(" 127.0.0.1:1", "127.0.0.1:2 ", ""));

        assertThat(downstream.replicas()).extracting(Replica::address).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        assertThat(downstream.address()).isEqualTo("127.0.0.1:1,127.0.0.1:2");
        assertThat(downstream.replicas()).extracting(Replica::circuit).containsOnly(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aReplicaNamedTwiceOrNoneAtAllIsAConfigurationError() {
        assertThatThrownBy(() -> open(List.of("h:1", "h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns.gateway.inference names h:1 twice");
        assertThatThrownBy(() -> open(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns.gateway.inference names no inference service");
    }

    @Test
    void aDnsTargetIsOneReplicaWhoseChannelReachesTheNamesAddresses() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new InferenceServiceGrpc.InferenceServiceImplBase() {
            @Override
            public void listLoadedModels(ListLoadedModelsRequest request, StreamObserver<ListLoadedModelsResponse> out) {
                listed.incrementAndGet();
                out.onNext(ListLoadedModelsResponse.getDefaultInstance());
                out.onCompleted();
            }
        }).build().start();
        String target = "dns:///localhost:" + server.getPort();
        downstream = open(List.of(target));

        for (int i = 0; i < 3; i++) {
            downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);
        }

        assertThat(downstream.replicas()).extracting(Replica::address).containsExactly(target);
        assertThat(listed.get()).isEqualTo(3);
    }

    private static Downstream open(List<String> configured) {
        return Downstreams.openReplicated("inference service", "ns.gateway.inference", configured, routing(), Duration.ofSeconds(5), 1 << 20);
    }

    private static GatewayConfig.Routing routing() {
        return new GatewayConfig.Routing() {
            @Override
            public int maxAttempts() {
                return 3;
            }

            @Override
            public Circuit circuit() {
                return new Circuit() {
                    @Override
                    public int failures() {
                        return 3;
                    }

                    @Override
                    public Duration openFor() {
                        return Duration.ofSeconds(5);
                    }
                };
            }
        };
    }
}

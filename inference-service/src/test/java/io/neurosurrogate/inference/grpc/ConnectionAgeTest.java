package io.neurosurrogate.inference.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ns.inference.max-connection-age: the server ends an aged connection (GOAWAY), the client's channel leaves READY
 * by itself, and its next call simply opens a new connection.
 */
@QuarkusTest
@TestProfile(ConnectionAgeTest.ShortConnectionAge.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ConnectionAgeTest {

    public static class ShortConnectionAge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ns.inference.max-connection-age", "1s");
        }
    }

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void anAgedConnectionIsClosedAndTheNextCallReconnects() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            var stub = InferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            stub.listLoadedModels(ListLoadedModelsRequest.getDefaultInstance());
            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);

            CountDownLatch leftReady = new CountDownLatch(1);
            channel.notifyWhenStateChanged(ConnectivityState.READY, leftReady::countDown);
            // Age 1 s (grpc-java adds up to 10 % jitter): without the setting the idle channel would stay READY.
            assertThat(leftReady.await(10, TimeUnit.SECONDS)).as("the server closed the aged connection").isTrue();

            var again = InferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            again.listLoadedModels(ListLoadedModelsRequest.getDefaultInstance());
            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package io.neurosurrogate.gateway.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a key store configured (quarkus.grpc.server.ssl.*) the public port speaks TLS only: a client that trusts the
 * gateway's certificate is served, a plaintext one is not. The certificate is a fresh self-signed one per run.
 */
@QuarkusTest
@TestProfile(TlsTest.SelfSignedCertificate.class)
class TlsTest {
    private static final Path DIR = Path.of("target", "tls-test");

    public static class SelfSignedCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path store = TestCertificates.keyPair(DIR, "gateway");
            return Map.of("quarkus.grpc.server.ssl.key-store", store.toString(),
                    "quarkus.grpc.server.ssl.key-store-password", TestCertificates.PASSWORD,
                    "quarkus.grpc.server.ssl.key-store-type", "PKCS12");
        }
    }

    @Test
    void aClientTrustingTheCertificateIsServedOverTlsAndAPlaintextOneIsNot() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(DIR.resolve("gateway.crt").toFile()).build()).build();
        ManagedChannel plaintext = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            Status unauthenticated = statusOf(() -> NeuroSurrogateGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listModels(ListModelsRequest.getDefaultInstance()));
            Status overPlaintext = statusOf(() -> HealthGrpc.newBlockingStub(plaintext).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()));

            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(unauthenticated.getCode()).as("keys are still checked over TLS").isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(overPlaintext.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package io.neurosurrogate.gateway.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code quarkus.grpc.server.ssl.client-auth=REQUIRED} and a trust store, only a client presenting a trusted
 * certificate gets through the TLS handshake.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.ClientCertificatesRequired.class)
class MutualTlsTest {
    private static final Path DIR = Path.of("target", "mtls-test");

    public static class ClientCertificatesRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path server = TestCertificates.keyPair(DIR, "gateway");
            TestCertificates.keyPair(DIR, "client");
            Path trust = TestCertificates.trustStore(DIR, "gateway-trust", DIR.resolve("client.crt"));
            // trust-store-type is case-sensitive in Quarkus 3.33 ("PKCS12" stops the gRPC server from starting)
            return Map.of("quarkus.grpc.server.ssl.key-store", server.toString(),
                    "quarkus.grpc.server.ssl.key-store-password", TestCertificates.PASSWORD,
                    "quarkus.grpc.server.ssl.key-store-type", "PKCS12",
                    "quarkus.grpc.server.ssl.trust-store", trust.toString(),
                    "quarkus.grpc.server.ssl.trust-store-password", TestCertificates.PASSWORD,
                    "quarkus.grpc.server.ssl.trust-store-type", "pkcs12",
                    "quarkus.grpc.server.ssl.client-auth", "REQUIRED");
        }
    }

    @Test
    void aClientWithATrustedCertificateIsServedAndOneWithoutIsRefused() throws Exception {
        ManagedChannel withCertificate = channel(clientTls().keyManager(clientKeys()));
        ManagedChannel withoutCertificate = channel(clientTls());
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(withCertificate).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            Status refused = statusOf(() -> HealthGrpc.newBlockingStub(withoutCertificate).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()));

            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            withCertificate.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            withoutCertificate.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static SslContextBuilder clientTls() {
        return GrpcSslContexts.forClient().trustManager(DIR.resolve("gateway.crt").toFile());
    }

    private static KeyManagerFactory clientKeys() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(DIR.resolve("client.p12"))) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD.toCharArray());
        return keys;
    }

    private static ManagedChannel channel(SslContextBuilder tls) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(tls.build()).build();
    }
}

package io.neurosurrogate.trainer.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.neurosurrogate.trainer.kafka.TrainerTestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the probes rely on: grpc.health.v1 on the gRPC port (Kubernetes {@code grpc:} probes) and
 * {@code /q/health/ready} on the HTTP port (the container image's HEALTHCHECK).
 */
@QuarkusTest
@TestProfile(TrainerTestProfile.class)
class HealthProbesTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void theGrpcPortAnswersTheStandardHealthCheckWithServing() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());

            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHttpReadinessEndpointAnswersUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("GET %s: %s", ready, response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"");
    }
}

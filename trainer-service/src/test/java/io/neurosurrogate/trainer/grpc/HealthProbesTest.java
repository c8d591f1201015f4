package io.neurosurrogate.trainer.grpc;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.neurosurrogate.trainer.kafka.TrainerTestProfile;
import io.neurosurrogate.testing.HealthProbes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;

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
        assertThat(HealthProbes.grpcStatus(grpcPort)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void theHttpReadinessEndpointAnswersUp() throws Exception {
        HttpResponse<String> response = HealthProbes.http(ready);
        assertThat(response.statusCode()).as("GET %s: %s", ready, response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"");
    }
}

package io.neurosurrogate.gateway.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What probes and tools such as grpc_health_probe and grpcurl rely on: grpc.health.v1 and server reflection, and
 * the HTTP readiness endpoint that the container image's HEALTHCHECK calls.
 */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class HealthAndReflectionTest extends GatewayChannelPerTest {

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void theGatewayAnswersTheStandardHealthCheck() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(gateway.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsBothPublicApis() throws Exception {
        Received<ServerReflectionResponse> responses = new Received<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(gateway.channel).serverReflectionInfo(responses);

        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        ServerReflectionResponse listed = responses.next();
        requests.onCompleted();

        assertThat(listed.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                .contains("neurosurrogate.v1.NeuroSurrogate", "inference.GRPCInferenceService");
    }

    @Test
    void theHttpReadinessEndpointAnswersUpWithoutAKey() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("GET %s: %s", ready, response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"");
    }
}

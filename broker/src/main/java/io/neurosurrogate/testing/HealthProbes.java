package io.neurosurrogate.testing;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * For the services' tests: what the deployment probes rely on. Kubernetes' {@code grpc:} probes call
 * grpc.health.v1 on the gRPC port; the container images' HEALTHCHECK reads {@code /q/health/ready} on the HTTP port.
 * (The services have gRPC and an HTTP client; this module only compiles against them.)
 */
public final class HealthProbes {
    private HealthProbes() {
    }

    /** The standard gRPC health check of the whole server ("" service) on {@code port}. */
    public static HealthCheckResponse.ServingStatus grpcStatus(int port) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** GET {@code url}: the HTTP status and body ("status": "UP" when ready). */
    public static HttpResponse<String> http(URI url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

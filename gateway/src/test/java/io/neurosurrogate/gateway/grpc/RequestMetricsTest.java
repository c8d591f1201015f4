package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.proto.oip.GRPCInferenceServiceGrpc;
import io.neurosurrogate.proto.oip.ModelMetadataRequest;
import io.neurosurrogate.proto.oip.ServerLiveRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Operators see every call counted by method and final status on the Prometheus endpoint. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class RequestMetricsTest extends GatewayChannelPerTest {
    private static final String COUNT = "ns_gateway_requests_seconds_count";
    private static final String LIVE = "inference.GRPCInferenceService/ServerLive";
    private static final String METADATA = "inference.GRPCInferenceService/ModelMetadata";

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void callsAreCountedByMethodAndStatusCode() throws Exception {
        double liveBefore = sample(COUNT, LIVE, "OK");
        double notFoundBefore = sample(COUNT, METADATA, "NOT_FOUND");
        var oip = GRPCInferenceServiceGrpc.newBlockingStub(gateway.channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        oip.serverLive(ServerLiveRequest.getDefaultInstance());
        oip.serverLive(ServerLiveRequest.getDefaultInstance());
        assertThat(statusOf(() -> oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("no-such-model").build())).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);

        assertThat(sample(COUNT, LIVE, "OK") - liveBefore).isEqualTo(2);
        assertThat(sample(COUNT, METADATA, "NOT_FOUND") - notFoundBefore).isEqualTo(1);
        assertThat(sample("ns_gateway_requests_seconds_sum", LIVE, "OK")).isPositive();
    }

    /**
     * The value of {@code name}{method=..., code=...}, 0 before the first such call; an OpenMetrics exemplar after the
     * value ({@code # {trace_id=...} 1.0 <timestamp>}, the trace of a counted call) is not part of it.
     */
    private double sample(String name, String method, String code) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + "{") && l.contains("method=\"" + method + "\"") && l.contains("code=\"" + code + "\""))
                .map(l -> l.contains(" # ") ? l.substring(0, l.indexOf(" # ")) : l)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}

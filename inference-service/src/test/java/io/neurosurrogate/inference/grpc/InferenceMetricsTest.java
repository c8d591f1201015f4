package io.neurosurrogate.inference.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.inference.testing.MetricsScrape;
import io.neurosurrogate.inference.testing.ModelTopic;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.StreamClient;
import io.neurosurrogate.inference.testing.StreamClient.StreamFailed;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Prometheus endpoint of the running service after real Predict calls and a real stream. Other tests
 * share the application, so every assertion compares a scrape before with one after.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class InferenceMetricsTest extends RunningServiceTest {
    private static final String REQUESTS = "ns_inference_requests_total";
    private static final String OPEN_SEQUENCES = "ns_inference_open_sequences";

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void predictAndStreamRequestsAreCountedByStatusWithTheirBatchSizesAndTimes() {
        topic.publishServed("metrics-tiny", 1, TinySurrogate.withStepGraph(-70f));
        topic.awaitLoaded("metrics-tiny", 1);
        ModelTopic.await(() -> scrape().value(OPEN_SEQUENCES) == 0, "streams of earlier tests closed");
        MetricsScrape before = scrape();

        inference.predict(Spikes.denseRequest("metrics-tiny", "", Spikes.random(3, TinySurrogate.SYNAPSES, 40, 0.3, 7)).build());
        assertThatThrownBy(() -> inference.predict(Spikes.denseRequest("no-such-model", "", new float[1][TinySurrogate.SYNAPSES][10]).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        double openDuringStream;
        try (StreamClient stream = new StreamClient(channel)) {
            stream.open("metrics-tiny", "");
            stream.start(1L, 2L);
            openDuringStream = scrape().value(OPEN_SEQUENCES);
            stream.step(List.of(1L, 2L), null, 0, 5);
            stream.end(1L, 2L);
        }
        try (StreamClient unopened = new StreamClient(channel)) {
            assertThatThrownBy(() -> unopened.start(1L)).isInstanceOfSatisfying(StreamFailed.class,
                    e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        }
        MetricsScrape after = scrape();

        assertThat(openDuringStream).isEqualTo(2);
        assertThat(after.value("ns_inference_loaded_models")).isGreaterThanOrEqualTo(1);
        assertIncrease(before, after, 1, REQUESTS, "method", "Predict", "status", "OK");
        assertIncrease(before, after, 1, REQUESTS, "method", "Predict", "status", "NOT_FOUND");
        assertIncrease(before, after, 4, REQUESTS, "method", "Stream", "status", "OK");
        assertIncrease(before, after, 1, REQUESTS, "method", "Stream", "status", "FAILED_PRECONDITION");
        assertIncrease(before, after, 1, "ns_inference_batch_neurons_count", "method", "Predict");
        assertIncrease(before, after, 3, "ns_inference_batch_neurons_sum", "method", "Predict");
        assertIncrease(before, after, 1, "ns_inference_batch_neurons_count", "method", "Stream");
        assertIncrease(before, after, 2, "ns_inference_batch_neurons_sum", "method", "Stream");
        assertIncrease(before, after, 1, "ns_inference_predict_run_neurons_count");
        assertIncrease(before, after, 3, "ns_inference_predict_run_neurons_sum");
        assertIncrease(before, after, 1, "ns_inference_compute_seconds_count", "method", "Predict");
        assertIncrease(before, after, 1, "ns_inference_compute_seconds_count", "method", "Stream");
        assertThat(after.value("ns_inference_compute_seconds_sum", "method", "Predict")
                - before.value("ns_inference_compute_seconds_sum", "method", "Predict")).isPositive();
        assertIncrease(before, after, 2, "ns_inference_queue_seconds_count", "method", "Predict");
        assertIncrease(before, after, 5, "ns_inference_queue_seconds_count", "method", "Stream");
    }

    private MetricsScrape scrape() {
        return MetricsScrape.of(metrics);
    }

    private static void assertIncrease(MetricsScrape before, MetricsScrape after, double by, String name, String... labels) {
        assertThat(after.value(name, labels) - before.value(name, labels)).as("increase of %s%s", name, List.of(labels)).isEqualTo(by);
    }
}

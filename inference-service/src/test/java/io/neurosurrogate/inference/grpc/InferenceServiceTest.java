package io.neurosurrogate.inference.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.inference.registry.ModelInstaller;
import io.neurosurrogate.inference.testing.ModelTopic;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole path with real parts: a ModelEvent on the embedded broker, the artifact fetched over gRPC
 * from a trainer double and verified, ONNX Runtime, and Predict over real gRPC on the test port.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class InferenceServiceTest extends RunningServiceTest {
    @ConfigProperty(name = "ns.inference.cache-dir")
    Path cacheDir;
    @Inject
    ModelInstaller installer;

    /** Nothing is published before the first test, so clearing the cache here keeps every run fetching. */
    @BeforeAll
    static void clearCacheOfEarlierRuns() throws java.io.IOException {
        Path cache = Path.of("target/inference-cache-test");
        if (java.nio.file.Files.exists(cache)) {
            try (var files = java.nio.file.Files.walk(cache)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    @Test
    void publishedModelIsLoadedAndPredictMatchesTheHandComputation() {
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        publishServed("iaf-tiny", 1, tiny);
        awaitLoaded("iaf-tiny", 1);

        float[][][] x = Spikes.random(3, TinySurrogate.SYNAPSES, 60, 0.35, 11);
        PredictResponse response = inference.predict(Spikes.denseRequest("iaf-tiny", "", x).build());

        assertThat(response.getModelName()).isEqualTo("iaf-tiny");
        assertThat(response.getVersion()).isEqualTo(1);
        assertThat(response.getComputeMs()).isPositive();
        assertThat(response.getNeuronsCount()).isEqualTo(3);
        double[][][] expected = tiny.expected(x);
        int spikes = 0;
        for (int n = 0; n < 3; n++) {
            NeuronPrediction neuron = response.getNeurons(n);
            assertThat(neuron.getSpikeProbCount()).isEqualTo(60);
            List<Integer> expectedBins = new ArrayList<>();
            for (int t = 0; t < 60; t++) {
                assertThat((double) neuron.getSpikeProb(t)).as("spike_prob[%d][%d]", n, t).isCloseTo(expected[0][n][t], within(1e-5));
                assertThat((double) neuron.getSomaMv(t)).as("soma_mv[%d][%d]", n, t).isCloseTo(expected[1][n][t], within(1e-4));
                if (neuron.getSpikeProb(t) >= tiny.threshold()) {
                    expectedBins.add(t);
                }
            }
            assertThat(neuron.getSpikeBinsList()).isEqualTo(expectedBins);
            spikes += expectedBins.size();
        }
        assertThat(spikes).as("the input should drive some bins over the card's threshold").isPositive();

        ModelVersion listed = inference.listLoadedModels(ListLoadedModelsRequest.getDefaultInstance()).getModelsList().stream()
                .filter(m -> m.getModelName().equals("iaf-tiny")).findFirst().orElseThrow();
        assertThat(listed.getLoaded()).isTrue();
        assertThat(listed.getSha256()).isEqualTo(Sha256.of(tiny.onnx()));
        assertThat(listed.getCard().getNExc()).isEqualTo(TinySurrogate.N_EXC);
    }

    @Test
    void denseAndSparseEncodingsGiveIdenticalResults() {
        publishServed("iaf-enc", 1, TinySurrogate.withOffset(-65f));
        awaitLoaded("iaf-enc", 1);
        float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 50, 0.2, 5);

        PredictResponse dense = inference.predict(Spikes.denseRequest("iaf-enc", "1", x).build());
        PredictResponse sparse = inference.predict(Spikes.sparseRequest("iaf-enc", "1", x).build());

        assertThat(sparse.getNeuronsList()).isEqualTo(dense.getNeuronsList());
    }

    @Test
    void latestPicksTheNewestOfTwoLoadedVersions() {
        publishServed("iaf-multi", 1, TinySurrogate.withOffset(-70f));
        publishServed("iaf-multi", 2, TinySurrogate.withOffset(-60f));
        awaitLoaded("iaf-multi", 1);
        awaitLoaded("iaf-multi", 2);
        float[][][] silent = new float[1][TinySurrogate.SYNAPSES][8];
        float restingV1 = -70f + TinySurrogate.V_SCALE * TinySurrogate.CONV_BIAS;
        float restingV2 = -60f + TinySurrogate.V_SCALE * TinySurrogate.CONV_BIAS;

        PredictResponse latest = inference.predict(Spikes.denseRequest("iaf-multi", "latest", silent).build());
        PredictResponse unspecified = inference.predict(Spikes.denseRequest("iaf-multi", "", silent).build());
        PredictResponse first = inference.predict(Spikes.denseRequest("iaf-multi", "1", silent).build());

        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(latest.getNeurons(0).getSomaMv(0)).isCloseTo(restingV2, within(1e-4f));
        assertThat(unspecified.getVersion()).isEqualTo(2);
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getNeurons(0).getSomaMv(0)).isCloseTo(restingV1, within(1e-4f));
    }

    @Test
    void unknownModelIsNotFoundWithTheLoadedModelsInTheMessage() {
        publishServed("iaf-known", 1, TinySurrogate.withOffset(-70f));
        awaitLoaded("iaf-known", 1);
        float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 10, 0.2, 1);

        assertThatThrownBy(() -> inference.predict(Spikes.denseRequest("no-such-model", "", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("no-such-model").contains("iaf-known [1]");
                });
        assertThatThrownBy(() -> inference.predict(Spikes.denseRequest("iaf-known", "99", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void badRequestsAreInvalidArgumentAndTheServiceKeepsServing() {
        publishServed("iaf-strict", 1, TinySurrogate.withOffset(-70f));
        awaitLoaded("iaf-strict", 1);
        float[][][] good = Spikes.random(1, TinySurrogate.SYNAPSES, 20, 0.2, 2);
        float[][][] wrongWidth = Spikes.random(1, TinySurrogate.SYNAPSES + 2, 20, 0.2, 2);
        PredictRequest shortBytes = Spikes.denseRequest("iaf-strict", "", good).setTimeMs(21).build();
        float[][][] nan = Spikes.random(1, TinySurrogate.SYNAPSES, 20, 0.2, 2);
        nan[0][1][3] = Float.NaN;

        assertInvalid(Spikes.denseRequest("iaf-strict", "", wrongWidth).build(), "expects 5 synapses");
        assertInvalid(shortBytes, "bytes");
        assertInvalid(Spikes.denseRequest("iaf-strict", "", nan).build(), "non-finite");

        PredictResponse after = inference.predict(Spikes.denseRequest("iaf-strict", "", good).build());
        assertThat(after.getNeurons(0).getSomaMvCount()).isEqualTo(20);
    }

    @Test
    void eventWhoseSha256DoesNotMatchTheBytesIsNotLoaded() throws Exception {
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        trainer.serve("iaf-tampered", 1, tiny.onnx());
        String wrongSha = Sha256.of("another artifact".getBytes());
        publish("iaf-tampered/1", tiny.createdEvent("iaf-tampered", 1, trainer.address(), wrongSha, tiny.onnx().length).toByteArray());
        // a later, valid version proves the follower moved past the bad one
        publishServed("iaf-tampered", 2, tiny);
        awaitLoaded("iaf-tampered", 2);

        await(() -> installer.lastFailure("iaf-tampered", 1).isPresent(), "a recorded failure for iaf-tampered/1");
        assertThat(installer.lastFailure("iaf-tampered", 1).orElseThrow()).contains("sha256");
        Thread.sleep(1500); // beyond the retry backoff of the test profile
        assertThat(loadedVersions("iaf-tampered")).containsExactly(2);
        assertThat(cacheDir.resolve("iaf-tampered/1/model.onnx")).doesNotExist();
    }

    @Test
    void unparseableEventIsSkippedAndDeletedEventUnloads() {
        publish("garbage/1", new byte[]{(byte) 0xff, 0x01, 0x02, 0x03});
        publishServed("iaf-doomed", 1, TinySurrogate.withOffset(-70f));
        awaitLoaded("iaf-doomed", 1);

        ModelEvent deleted = ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_DELETED)
                .setModel(ModelVersion.newBuilder().setModelName("iaf-doomed").setVersion(1)).build();
        publish("iaf-doomed/1", deleted.toByteArray());

        await(() -> loadedVersions("iaf-doomed").isEmpty(), "iaf-doomed/1 unloaded");
        float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 10, 0.2, 1);
        assertThatThrownBy(() -> inference.predict(Spikes.denseRequest("iaf-doomed", "1", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void requestLargerThanTheDefault4MiBGrpcLimitIsServed() {
        publishServed("iaf-long", 1, TinySurrogate.withOffset(-70f));
        awaitLoaded("iaf-long", 1);
        float[][][] silent = new float[1][TinySurrogate.SYNAPSES][250_000]; // 5 MB dense
        PredictRequest request = Spikes.denseRequest("iaf-long", "", silent).build();
        assertThat(request.getSerializedSize()).isGreaterThan(4 << 20);

        PredictResponse response = inference.withMaxInboundMessageSize(64 << 20).predict(request);

        assertThat(response.getNeurons(0).getSomaMvCount()).isEqualTo(250_000);
        assertThat(response.getNeurons(0).getSpikeBinsCount()).isZero();
    }

    private void assertInvalid(PredictRequest request, String messagePart) {
        assertThatThrownBy(() -> inference.predict(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(messagePart);
                });
    }

    private void publishServed(String model, int version, TinySurrogate tiny) {
        topic.publishServed(model, version, tiny);
    }

    private void publish(String key, byte[] value) {
        topic.publish(key, value);
    }

    private List<Integer> loadedVersions(String model) {
        return topic.loadedVersions(model);
    }

    private void awaitLoaded(String model, int version) {
        topic.awaitLoaded(model, version);
    }

    private static void await(BooleanSupplier condition, String what) {
        ModelTopic.await(condition, what);
    }
}

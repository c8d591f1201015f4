package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.FakeInference;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Predict is checked structurally, then against the models the inference service has loaded. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class PredictValidationTest extends GatewayChannelPerTest {
    private static final int SYNAPSES = 100; // the fake's iaf-1x1: 80 exc + 20 inh
    private static final int TIME_MS = 20;

    @InjectFakes
    Fakes fakes;

    @BeforeEach
    void loadDefaultModels() {
        fakes.inference.loaded.set(FakeInference.DEFAULT_LOADED);
    }

    @AfterEach
    void restoreDefaultModels() {
        fakes.inference.loaded.set(FakeInference.DEFAULT_LOADED);
    }

    @Test
    void aValidRequestReachesTheInferenceService() {
        PredictRequest request = dense("iaf-1x1", "", 2, SYNAPSES, spikes(2 * SYNAPSES * TIME_MS));

        PredictResponse response = gateway.blocking().predict(request);

        assertThat(fakes.inference.predicted).contains(request);
        assertThat(response.getNeuronsCount()).isEqualTo(2);
        assertThat(response.getNeurons(0).getSpikeProbCount()).isEqualTo(TIME_MS);
    }

    @Test
    void aSparseRequestForANumberedVersionReachesTheInferenceService() {
        PredictRequest request = base("iaf-1x1", "1", 1, SYNAPSES)
                .addSparse(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(99).addBins(0).addBins(19))).build();

        PredictResponse response = gateway.blocking().predict(request);

        assertThat(response.getVersion()).isEqualTo(1);
        assertThat(fakes.inference.predicted).contains(request);
    }

    @Test
    void aPackedRequestReachesTheInferenceServiceAndABadOneIsRefused() {
        PredictRequest request = base("iaf-1x1", "", 2, SYNAPSES)
                .setPacked(new SpikePacking.Builder(2, TIME_MS).add(0, 0, 99).add(0, 0, 3).add(1, TIME_MS - 1, 0).build()).build();
        PredictResponse response = gateway.blocking().predict(request);
        assertThat(response.getNeuronsCount()).isEqualTo(2);
        assertThat(fakes.inference.predicted).contains(request);

        PredictRequest outside = base("iaf-1x1", "", 1, SYNAPSES).setPacked(new SpikePacking.Builder(1, TIME_MS).add(0, 2, SYNAPSES).build()).build();
        Status status = statusOf(() -> gateway.blocking().predict(outside));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("packed: neuron 0, bin 2 has synapse " + SYNAPSES);
    }

    @Test
    void aNanSpikeIsRefused() {
        float[] values = spikes(SYNAPSES * TIME_MS);
        values[17] = Float.NaN;

        Status status = statusOf(() -> gateway.blocking().predict(dense("iaf-1x1", "", 1, SYNAPSES, values)));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("dense_spikes").contains("non-finite").contains("17");
    }

    @Test
    void denseSpikesOfTheWrongByteLengthAreRefused() {
        PredictRequest request = base("iaf-1x1", "", 1, SYNAPSES).setDenseSpikes(ByteString.copyFrom(new byte[SYNAPSES * TIME_MS * 4 - 2])).build();

        Status status = statusOf(() -> gateway.blocking().predict(request));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("dense_spikes").contains("bytes");
    }

    @Test
    void bothOrNeitherEncodingIsRefused() {
        PredictRequest neither = base("iaf-1x1", "", 1, SYNAPSES).build();
        PredictRequest both = dense("iaf-1x1", "", 1, SYNAPSES, spikes(SYNAPSES * TIME_MS)).toBuilder()
                .addSparse(SparseNeuronInput.getDefaultInstance()).build();

        Status none = statusOf(() -> gateway.blocking().predict(neither));
        Status two = statusOf(() -> gateway.blocking().predict(both));

        assertThat(none.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(none.getDescription()).contains("exactly one of dense_spikes, sparse and packed");
        assertThat(two.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(two.getDescription()).contains("exactly one of dense_spikes, sparse and packed");
    }

    @Test
    void anUnknownModelIsNotFoundAndTheLoadedOnesAreListed() {
        Status status = statusOf(() -> gateway.blocking().predict(dense("l5pc-nmda", "", 1, SYNAPSES, spikes(SYNAPSES * TIME_MS))));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("l5pc-nmda").contains("iaf-1x1/1, iaf-1x1/2");
    }

    @Test
    void anUnloadedVersionOfAKnownModelIsNotFound() {
        Status status = statusOf(() -> gateway.blocking().predict(dense("iaf-1x1", "3", 1, SYNAPSES, spikes(SYNAPSES * TIME_MS))));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("version 3");
    }

    @Test
    void theWrongSynapseCountForTheModelIsRefused() {
        Status status = statusOf(() -> gateway.blocking().predict(dense("iaf-1x1", "", 1, 99, spikes(99 * TIME_MS))));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("expects 100 synapses");
    }

    @Test
    void invalidRequestsNeverReachTheInferenceService() {
        int before = fakes.inference.predicted.size();
        float[] values = spikes(SYNAPSES * TIME_MS);
        values[0] = Float.POSITIVE_INFINITY;

        statusOf(() -> gateway.blocking().predict(dense("iaf-1x1", "", 1, SYNAPSES, values)));
        statusOf(() -> gateway.blocking().predict(dense("nope", "", 1, SYNAPSES, spikes(SYNAPSES * TIME_MS))));
        statusOf(() -> gateway.blocking().predict(dense("iaf-1x1", "", 1, 7, spikes(7 * TIME_MS))));

        assertThat(fakes.inference.predicted).hasSize(before);
    }

    @Test
    void aModelLoadedAfterTheListWasCachedIsFound() throws InterruptedException {
        PredictRequest request = dense("fresh-model", "", 1, 10, spikes(10 * TIME_MS));
        assertThat(statusOf(() -> gateway.blocking().predict(request)).getCode()).isEqualTo(Status.Code.NOT_FOUND);

        fakes.inference.loaded.set(List.of(FakeInference.iaf(1), FakeInference.iaf(2), FakeInference.served("fresh-model", 1, 8, 2)));
        Thread.sleep(300); // past ns.gateway.loaded-models-min-refresh (250 ms)

        assertThat(gateway.blocking().predict(request).getModelName()).isEqualTo("fresh-model");
    }

    @Test
    void theLoadedModelsListIsReusedBetweenRequests() {
        PredictRequest request = dense("iaf-1x1", "", 1, SYNAPSES, spikes(SYNAPSES * TIME_MS));
        gateway.blocking().predict(request);
        int before = fakes.inference.listCalls.get();

        for (int i = 0; i < 5; i++) {
            gateway.blocking().predict(request);
        }

        assertThat(fakes.inference.listCalls.get() - before).isLessThanOrEqualTo(1);
    }

    static PredictRequest.Builder base(String model, String version, int batch, int synapses) {
        return PredictRequest.newBuilder().setModelName(model).setVersion(version).setBatch(batch).setSynapses(synapses).setTimeMs(TIME_MS);
    }

    static PredictRequest dense(String model, String version, int batch, int synapses, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.flip();
        return base(model, version, batch, synapses).setDenseSpikes(ByteString.copyFrom(bytes)).build();
    }

    /** A sparse 0/1 pattern, one spike in seven bins. */
    static float[] spikes(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i += 7) {
            values[i] = 1f;
        }
        return values;
    }
}

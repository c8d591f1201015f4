package io.neurosurrogate.core.inference;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictRequestsTest {

    private static PredictRequest.Builder base() {
        return PredictRequest.newBuilder().setModelName("m").setBatch(2).setSynapses(3).setTimeMs(4);
    }

    private static ByteString dense(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return ByteString.copyFrom(b.array());
    }

    @Test
    void sparseAndDenseEncodingsDecodeToTheSameTensor() {
        float[] values = new float[24];
        values[0 * 12 + 1 * 4 + 2] = 1;   // neuron 0, synapse 1, bin 2
        values[1 * 12 + 2 * 4 + 3] = 1;   // neuron 1, synapse 2, bin 3
        PredictRequest d = base().setDenseSpikes(dense(values)).build();
        PredictRequest s = base()
                .addSparse(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(1).addBins(2)))
                .addSparse(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(2).addBins(3))).build();
        PredictRequest p = base().setPacked(new SpikePacking.Builder(2, 4).add(0, 2, 1).add(1, 3, 2).build()).build();
        PredictRequests.validate(d);
        PredictRequests.validate(s);
        PredictRequests.validate(p);
        FloatBuffer a = PredictRequests.denseInput(d);
        FloatBuffer b = PredictRequests.denseInput(s);
        FloatBuffer c = PredictRequests.denseInput(p);
        assertThat(a.isDirect()).isTrue();
        for (int i = 0; i < 24; i++) {
            assertThat(a.get(i)).as("element %d", i).isEqualTo(values[i]).isEqualTo(b.get(i)).isEqualTo(c.get(i));
        }
    }

    @Test
    void packedSpikesAreCheckedAgainstTheRequestsShapeAndAloneOfTheEncodings() {
        assertThatThrownBy(() -> PredictRequests.validate(base().setPacked(new SpikePacking.Builder(2, 3).add(0, 0, 1).build()).build()))
                .hasMessageContaining("packed.counts has 6 entries, 2 neurons x 4 bins = 8 are needed");
        assertThatThrownBy(() -> PredictRequests.validate(base().setPacked(new SpikePacking.Builder(2, 4).add(1, 3, 3).build()).build()))
                .hasMessageContaining("packed: neuron 1, bin 3 has synapse 3 (spike 0) outside 0..2");
        assertThatThrownBy(() -> PredictRequests.validate(base().setPacked(new SpikePacking.Builder(2, 4).build())
                .setDenseSpikes(dense(new float[24])).build())).hasMessageContaining("exactly one of dense_spikes, sparse and packed");
        PredictRequest silent = base().setPacked(new SpikePacking.Builder(2, 4).build()).build();
        PredictRequests.validate(silent);
        FloatBuffer zeros = PredictRequests.denseInput(silent);
        for (int i = 0; i < 24; i++) {
            assertThat(zeros.get(i)).isZero();
        }
    }

    @Test
    void rejectsWrongLengthsNanNonBinaryAndMissingEncodings() {
        assertThatThrownBy(() -> PredictRequests.validate(base().setDenseSpikes(dense(new float[23])).build()))
                .isInstanceOf(DomainException.class).hasMessageContaining("needs 96");
        float[] nan = new float[24];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> PredictRequests.validate(base().setDenseSpikes(dense(nan)).build())).hasMessageContaining("non-finite");
        float[] half = new float[24];
        half[5] = 0.5f;
        assertThatThrownBy(() -> PredictRequests.validate(base().setDenseSpikes(dense(half)).build())).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> PredictRequests.validate(base().build())).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> PredictRequests.validate(base().setModelName("").setDenseSpikes(dense(new float[24])).build()))
                .hasMessageContaining("model_name");
        assertThatThrownBy(() -> PredictRequests.validate(base().setBatch(0).build())).hasMessageContaining("batch");
        assertThatThrownBy(() -> PredictRequests.validate(base().setVersion("v2").setDenseSpikes(dense(new float[24])).build()))
                .hasMessageContaining("version");
    }

    @Test
    void rejectsSparseIndicesOutOfRange() {
        PredictRequest r = base().setBatch(1)
                .addSparse(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(3).addBins(0))).build();
        assertThatThrownBy(() -> PredictRequests.validate(r)).hasMessageContaining("synapse 3");
        PredictRequest late = base().setBatch(1)
                .addSparse(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(0).addBins(4))).build();
        assertThatThrownBy(() -> PredictRequests.validate(late)).hasMessageContaining("bin 4");
    }

    @Test
    void rejectsAWidthOtherThanTheModels() {
        assertThatThrownBy(() -> PredictRequests.validateFor(base().build(), 100)).hasMessageContaining("expects 100");
    }
}

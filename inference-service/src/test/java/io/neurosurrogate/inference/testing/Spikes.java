package io.neurosurrogate.inference.testing;

import com.google.protobuf.ByteString;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Random 0/1 spike inputs and their dense / sparse request encodings. */
public final class Spikes {
    private Spikes() {
    }

    public static float[][][] random(int batch, int synapses, int time, double rate, long seed) {
        Random rng = new Random(seed);
        float[][][] x = new float[batch][synapses][time];
        for (int n = 0; n < batch; n++) {
            for (int s = 0; s < synapses; s++) {
                for (int t = 0; t < time; t++) {
                    x[n][s][t] = rng.nextDouble() < rate ? 1f : 0f;
                }
            }
        }
        return x;
    }

    /** float32 little-endian [batch, synapses, time]. */
    public static ByteString dense(float[][][] x) {
        ByteBuffer b = ByteBuffer.allocate(x.length * x[0].length * x[0][0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[][] neuron : x) {
            for (float[] synapse : neuron) {
                for (float v : synapse) {
                    b.putFloat(v);
                }
            }
        }
        return ByteString.copyFrom(b.array());
    }

    public static PredictRequest.Builder denseRequest(String model, String version, float[][][] x) {
        return PredictRequest.newBuilder().setModelName(model).setVersion(version)
                .setBatch(x.length).setSynapses(x[0].length).setTimeMs(x[0][0].length)
                .setDenseSpikes(dense(x));
    }

    public static PredictRequest.Builder sparseRequest(String model, String version, float[][][] x) {
        PredictRequest.Builder r = PredictRequest.newBuilder().setModelName(model).setVersion(version)
                .setBatch(x.length).setSynapses(x[0].length).setTimeMs(x[0][0].length);
        for (float[][] neuron : x) {
            SparseNeuronInput.Builder in = SparseNeuronInput.newBuilder();
            for (int s = 0; s < neuron.length; s++) {
                SynapseSpikes.Builder syn = SynapseSpikes.newBuilder().setSynapse(s);
                for (int t = 0; t < neuron[s].length; t++) {
                    if (neuron[s][t] != 0f) {
                        syn.addBins(t);
                    }
                }
                if (syn.getBinsCount() > 0) {
                    in.addSynapses(syn);
                }
            }
            r.addSparse(in);
        }
        return r;
    }
}

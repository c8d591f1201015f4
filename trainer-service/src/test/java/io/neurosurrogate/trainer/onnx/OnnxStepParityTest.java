package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.trainer.ml.NexusNormalisation;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step graph, driven bin by bin from zero state, gives the window graph's outputs at every bin:
 * max |difference| <= 1e-4 (spike probability, soma and nexus voltage in mV).
 */
class OnnxStepParityTest {
    private static final int BATCH = 3;

    @Test
    void handBuiltNetWithDilationResidualOneByOneLayerAndDendriticHead() {
        Random r = new Random(5);
        int synapses = 12;
        OnnxNetwork net = new OnnxNetwork(synapses, List.of(
                conv(r, 8, synapses, 5, 1, "relu", false),
                conv(r, 8, 8, 3, 2, "relu", true),
                conv(r, 6, 8, 4, 3, "tanh", false),
                conv(r, 6, 6, 1, 1, "identity", true)),
                conv(r, 1, 6, 1, 1, "identity", false), conv(r, 1, 6, 1, 1, "identity", false), -66f, 4f, -55f,
                new OnnxNetwork.Dendrite(conv(r, 1, 6, 1, 1, "identity", false), -60f, 10f));
        assertParity(net, synapses, 60, r);
    }

    @Test
    void trainedShapeOfAnL5pcPreset() {
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-nmda-fast").setResidual(true).build());
        int synapses = 200;
        SurrogateNetwork dl4j = SurrogateNetwork.create(arch, synapses, 1e-4, "adam", 0.1, 3);
        OnnxNetwork net = dl4j.toOnnxNetwork(new VoltageNormalisation(-55, -66.5, 4.2), null);
        assertParity(net, synapses, arch.receptiveFieldMs() + 40, new Random(6));
    }

    @Test
    void stepGraphIsMarkedAndCarriesTheModelCard() {
        Random r = new Random(7);
        OnnxNetwork net = new OnnxNetwork(4, List.of(conv(r, 2, 4, 3, 1, "relu", false)),
                conv(r, 1, 2, 1, 1, "identity", false), conv(r, 1, 2, 1, 1, "identity", false), -66f, 4f, -55f);
        ModelCard card = ModelCard.newBuilder().setNeuronModel("iaf").setNExc(3).setNInh(1).setReceptiveFieldMs(3).build();
        try (OnnxRuntimeModel m = new OnnxRuntimeModel(OnnxStepExporter.export(net, card));
             OnnxStepModel step = new OnnxStepModel(OnnxStepExporter.export(net, card))) {
            assertThat(m.metadata()).containsEntry(OnnxStepExporter.GRAPH_KEY, OnnxStepExporter.GRAPH_STEP)
                    .containsEntry("neuron_model", "iaf");
            assertThat(m.outputNames()).containsExactly("spike_prob", "soma_mv", "state0_out");
            assertThat(step.stateCount()).isEqualTo(1);
        }
    }

    private static void assertParity(OnnxNetwork net, int synapses, int time, Random r) {
        float[] input = new float[BATCH * synapses * time];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextDouble() < 0.05 ? 1f : 0f;
        }
        ModelCard card = ModelCard.getDefaultInstance();
        try (OnnxRuntimeModel window = new OnnxRuntimeModel(OnnxExporter.export(net, card));
             OnnxStepModel step = new OnnxStepModel(OnnxStepExporter.export(net, card))) {
            float[][] expected = window.run(input, BATCH, synapses, time);
            float[][] streamed = step.runSequence(input, BATCH, synapses, time);
            assertThat(streamed).hasSameDimensionsAs(expected);
            for (int o = 0; o < expected.length; o++) {
                float range = 0;
                for (int i = 0; i < expected[o].length; i++) {
                    assertThat((double) Math.abs(streamed[o][i] - expected[o][i])).as("output %d, neuron %d, bin %d", o, i / time, i % time)
                            .isLessThanOrEqualTo(1e-4);
                    range = Math.max(range, Math.abs(expected[o][i] - expected[o][0]));
                }
                assertThat(range).as("output %d varies (parity of constants would prove nothing)", o).isGreaterThan(1e-4f);
            }
        }
    }

    static OnnxNetwork.Conv conv(Random r, int out, int in, int kernel, int dilation, String activation, boolean residual) {
        float[] w = new float[out * in * kernel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(in * kernel * 0.05 + 1));
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = (float) (0.1 * r.nextGaussian());
        }
        return new OnnxNetwork.Conv(out, in, kernel, dilation, w, b, activation, residual);
    }
}

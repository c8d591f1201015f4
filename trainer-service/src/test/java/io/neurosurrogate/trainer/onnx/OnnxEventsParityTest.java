package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.inference.EventGraphs;
import io.neurosurrogate.core.inference.EventInputLayer;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.TensorProto;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.neurosurrogate.trainer.onnx.OnnxStepParityTest.conv;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-driven form (the Java input layer scattering each input spike's kernel, then the events
 * graph in ONNX Runtime bin by bin) gives the window graph's outputs at every bin: max |difference|
 * <= 1e-4.
 */
class OnnxEventsParityTest {

    @Test
    void multiLayerNetWithDilatedTanhFirstLayerResidualAndDendriticHead() throws Exception {
        Random r = new Random(11);
        int synapses = 40;
        OnnxNetwork net = new OnnxNetwork(synapses, List.of(
                conv(r, 8, synapses, 6, 2, "tanh", false),
                conv(r, 8, 8, 3, 2, "relu", true),
                conv(r, 6, 8, 4, 1, "relu", false)),
                conv(r, 1, 6, 1, 1, "identity", false), conv(r, 1, 6, 1, 1, "identity", false), -66f, 4f, -55f,
                new OnnxNetwork.Dendrite(conv(r, 1, 6, 1, 1, "identity", false), -60f, 10f));
        assertParity(net, synapses, 80, r);
    }

    @Test
    void oneLayerNetLikeTheAmpaPreset() throws Exception {
        Random r = new Random(12);
        int synapses = 60;
        OnnxNetwork net = new OnnxNetwork(synapses, List.of(conv(r, 16, synapses, 9, 1, "relu", false)),
                conv(r, 1, 16, 1, 1, "identity", false), conv(r, 1, 16, 1, 1, "identity", false), -66f, 4f, -55f);
        assertParity(net, synapses, 50, r);
        assertThat(OnnxEventsExporter.columnFloats(net)).isEqualTo(9 * 16);
        assertThat(OnnxEventsExporter.tailMacs(net)).isEqualTo(2 * 16);
        assertThat(OnnxStepExporter.macs(net)).isEqualTo(16L * synapses * 9 + 2 * 16);
    }

    @Test
    void factorisedTrainedNetIsExportedFactorisedAndScattersItsMixingWeights() throws Exception {
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast")
                .setFirstLayer("factorised").build());
        int synapses = 300;
        SurrogateNetwork dl4j = SurrogateNetwork.create(arch, synapses, 1e-4, "adam", 0.1, 3);
        OnnxNetwork net = dl4j.toOnnxNetwork(new VoltageNormalisation(-55, -66.5, 4.2), null);
        // 300 x 32 + 32 x 43 x 32 multiply-adds instead of 300 x 43 x 32: the mixing stays a conv of its own
        assertThat(net.layers()).hasSize(2);
        assertThat(net.layers().get(0).kernel()).isEqualTo(1);
        assertThat(net.layers().get(0).outChannels()).isEqualTo(32);
        assertThat(OnnxStepExporter.macs(net)).isEqualTo(300L * 32 + 32L * 43 * 32 + 2 * 32);
        assertThat(OnnxEventsExporter.columnFloats(net)).isEqualTo(32);
        assertParity(net, synapses, arch.receptiveFieldMs() + 30, new Random(14));
    }

    @Test
    void fileCarriesTheFirstLayerAsInitializersThatTheSplitRemoves() throws Exception {
        Random r = new Random(13);
        OnnxNetwork net = new OnnxNetwork(5, List.of(conv(r, 3, 5, 4, 3, "sigmoid", false), conv(r, 3, 3, 2, 1, "relu", false)),
                conv(r, 1, 3, 1, 1, "identity", false), conv(r, 1, 3, 1, 1, "identity", false), -66f, 4f, -55f);
        ModelCard card = ModelCard.newBuilder().setNeuronModel("l5pc-ampa").setNExc(4).setNInh(1).build();
        byte[] file = OnnxEventsExporter.export(net, card);
        ModelProto whole = ModelProto.parseFrom(file);
        assertThat(whole.getGraph().getInitializerList()).extracting(TensorProto::getName).contains(EventGraphs.WEIGHTS, EventGraphs.BIAS);
        EventGraphs.Split split = EventGraphs.split(file);
        assertThat(ModelProto.parseFrom(split.graph()).getGraph().getInitializerList()).extracting(TensorProto::getName)
                .doesNotContain(EventGraphs.WEIGHTS, EventGraphs.BIAS);
        EventInputLayer layer = split.layer();
        assertThat(layer.synapses()).isEqualTo(5);
        assertThat(layer.kernel()).isEqualTo(4);
        assertThat(layer.dilation()).isEqualTo(3);
        assertThat(layer.channels()).isEqualTo(3);
        assertThat(layer.activation()).isEqualTo(EventInputLayer.Activation.SIGMOID);
        // delay 0 (the current bin) is the conv's last tap
        OnnxNetwork.Conv c = net.layers().get(0);
        assertThat(layer.weights()[(2 * 4) * 3 + 1]).isEqualTo(c.weights()[(1 * 5 + 2) * 4 + 3]);
        assertThat(split.metadata()).containsEntry("neuron_model", "l5pc-ampa").containsEntry(EventGraphs.GRAPH_KEY, EventGraphs.GRAPH_EVENTS);
        try (OnnxStepModel tail = new OnnxStepModel(split.graph())) {
            assertThat(tail.stateCount()).isEqualTo(1);
        }
    }

    private static void assertParity(OnnxNetwork net, int synapses, int time, Random r) {
        int batch = 2;
        float[] input = new float[batch * synapses * time];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextDouble() < 0.04 ? 1f : 0f;
        }
        ModelCard card = ModelCard.getDefaultInstance();
        EventGraphs.Split split = EventGraphs.split(OnnxEventsExporter.export(net, card));
        EventInputLayer layer = split.layer();
        int channels = layer.channels();
        float[] features = new float[batch * channels * time];
        for (int b = 0; b < batch; b++) {
            int[][] spikes = new int[time][];
            for (int t = 0; t < time; t++) {
                int n = 0;
                int[] s = new int[synapses];
                for (int syn = 0; syn < synapses; syn++) {
                    if (input[(b * synapses + syn) * time + t] != 0f) {
                        s[n++] = syn;
                    }
                }
                spikes[t] = java.util.Arrays.copyOf(s, n);
            }
            float[] byTime = layer.run(spikes);
            for (int t = 0; t < time; t++) {
                for (int c = 0; c < channels; c++) {
                    features[(b * channels + c) * time + t] = byTime[t * channels + c];
                }
            }
        }
        try (OnnxRuntimeModel window = new OnnxRuntimeModel(OnnxExporter.export(net, card));
             OnnxStepModel tail = new OnnxStepModel(split.graph())) {
            float[][] expected = window.run(input, batch, synapses, time);
            float[][] events = tail.runSequence(features, batch, channels, time);
            assertThat(events).hasSameDimensionsAs(expected);
            for (int o = 0; o < expected.length; o++) {
                float range = 0;
                for (int i = 0; i < expected[o].length; i++) {
                    assertThat((double) Math.abs(events[o][i] - expected[o][i])).as("output %d, neuron %d, bin %d", o, i / time, i % time)
                            .isLessThanOrEqualTo(1e-4);
                    range = Math.max(range, Math.abs(expected[o][i] - expected[o][0]));
                }
                assertThat(range).as("output %d varies (parity of constants would prove nothing)", o).isGreaterThan(1e-4f);
            }
        }
    }
}

package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.model.ModelCards;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.OperatorSetIdProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.v1.ModelCard;

import java.util.Map;

import static io.neurosurrogate.trainer.onnx.OnnxGraphs.activation;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.dynamic;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.fixed;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.floatTensor;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.int64Tensor;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.ints;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.node;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.tensorInfo;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.toMv;

/**
 * Writes a surrogate as a standard ONNX model (IR 7, opset 13):
 * <pre>
 *   spikes [batch, synapses, time]
 *     -> per layer: Conv(kernel k, dilation d, pads [(k-1)*d, 0]: causal; batch norm folded in)
 *        -> activation [-> Add(layer input): residual layers]
 *     -> Conv 1x1 -> Sigmoid -> Squeeze(axis 1)              -> spike_prob [batch, time]
 *     -> Conv 1x1 -> Mul(v_std) -> Add(v_mean) -> Min(v_clip) -> Squeeze -> soma_mv [batch, time] (mV)
 *     -> Conv 1x1 -> Mul(nexus_std) -> Add(nexus_mean) -> Squeeze -> nexus_mv [batch, time] (mV; only with the dendritic head)
 * </pre>
 * The model card goes into {@code metadata_props}, one flat key per card field
 * ({@link ModelCards#toMetadata}).
 */
public final class OnnxExporter {
    public static final String INPUT = "spikes";
    public static final String SPIKE_OUTPUT = "spike_prob";
    public static final String VOLTAGE_OUTPUT = "soma_mv";
    /** The dendritic head's output: apical nexus voltage in mV (a third output only when the network has the head). */
    public static final String DENDRITE_OUTPUT = "nexus_mv";
    public static final long IR_VERSION = 7;
    public static final long OPSET = 13;

    private OnnxExporter() {
    }

    public static byte[] export(OnnxNetwork net, ModelCard card) {
        return toModel(net, card).toByteArray();
    }

    public static ModelProto toModel(OnnxNetwork net, ModelCard card) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("neurosurrogate_tcn");
        g.addInput(tensorInfo(INPUT, dynamic("batch"), fixed(net.synapses()), dynamic("time")));
        String x = INPUT;
        for (int i = 0; i < net.layers().size(); i++) {
            OnnxNetwork.Conv c = net.layers().get(i);
            String blockInput = x;
            x = conv(g, "conv" + i, x, c);
            x = activation(g, "conv" + i + "_act", x, c.activation());
            if (c.residual()) {
                String sum = "conv" + i + "_residual_out";
                g.addNode(NodeProto.newBuilder().setOpType("Add").setName("conv" + i + "_residual").addInput(x).addInput(blockInput).addOutput(sum));
                x = sum;
            }
        }
        String spikeLogit = conv(g, "spike_head", x, net.spikeHead());
        String spikeProb = node(g, "Sigmoid", "spike_sigmoid", spikeLogit);
        g.addInitializer(int64Tensor("squeeze_axes", 1));
        g.addNode(NodeProto.newBuilder().setOpType("Squeeze").setName("spike_squeeze")
                .addInput(spikeProb).addInput("squeeze_axes").addOutput(SPIKE_OUTPUT));

        String voltNorm = conv(g, "voltage_head", x, net.voltageHead());
        String mv = toMv(g, voltNorm, "v", "voltage", net.vStdMv(), net.vMeanMv(), "voltage_mv");
        g.addInitializer(floatTensor("v_clip_mv", new float[]{net.vClipMv()}));
        String clipped = "voltage_clipped";
        g.addNode(NodeProto.newBuilder().setOpType("Min").setName("voltage_clip").addInput(mv).addInput("v_clip_mv").addOutput(clipped));
        g.addNode(NodeProto.newBuilder().setOpType("Squeeze").setName("voltage_squeeze")
                .addInput(clipped).addInput("squeeze_axes").addOutput(VOLTAGE_OUTPUT));

        g.addOutput(tensorInfo(SPIKE_OUTPUT, dynamic("batch"), dynamic("time")));
        g.addOutput(tensorInfo(VOLTAGE_OUTPUT, dynamic("batch"), dynamic("time")));
        if (net.hasDendrite()) {
            dendrite(g, x, net.dendrite());
            g.addOutput(tensorInfo(DENDRITE_OUTPUT, dynamic("batch"), dynamic("time")));
        }

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("neurosurrogate-trainer")
                .setProducerVersion("1")
                .setDocString("Causal TCN surrogate of a neuron (Beniaguev, Segev & London, Neuron 2021)")
                .setGraph(g);
        for (Map.Entry<String, String> e : ModelCards.toMetadata(card).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /** The dendritic head: normalised nexus voltage, then x std + mean (no clipping), squeezed to [batch, time]. */
    private static void dendrite(GraphProto.Builder g, String features, OnnxNetwork.Dendrite d) {
        String norm = conv(g, "dendrite_head", features, d.head());
        String mv = toMv(g, norm, "nexus", "nexus", d.nexusStdMv(), d.nexusMeanMv(), "nexus_mv_3d");
        g.addNode(NodeProto.newBuilder().setOpType("Squeeze").setName("nexus_squeeze")
                .addInput(mv).addInput("squeeze_axes").addOutput(DENDRITE_OUTPUT));
    }

    private static String conv(GraphProto.Builder g, String name, String input, OnnxNetwork.Conv c) {
        g.addInitializer(floatTensor(name + "_W", c.weights(), c.outChannels(), c.inChannels(), c.kernel()));
        g.addInitializer(floatTensor(name + "_B", c.bias(), c.outChannels()));
        String out = name + "_out";
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName(name)
                .addInput(input).addInput(name + "_W").addInput(name + "_B").addOutput(out)
                .addAttribute(ints("kernel_shape", c.kernel()))
                .addAttribute(ints("dilations", c.dilation()))
                .addAttribute(ints("strides", 1))
                // Causal: all padding on the left, so output t sees inputs t - (k-1)*d .. t only.
                .addAttribute(ints("pads", c.historyMs(), 0)));
        return out;
    }
}

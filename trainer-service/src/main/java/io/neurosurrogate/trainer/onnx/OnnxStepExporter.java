package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.model.ModelCards;
import io.neurosurrogate.proto.onnx.AttributeProto;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.OperatorSetIdProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.v1.ModelCard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.neurosurrogate.trainer.onnx.OnnxGraphs.activation;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.dynamic;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.fixed;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.floatTensor;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.int64Tensor;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.tensorInfo;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.toMv;

/**
 * The streaming (step) form of a surrogate: one call advances a batch of neurons by one 1 ms bin,
 * with every layer's causal-convolution history carried explicitly, so a step costs one output
 * column per layer instead of a whole receptive field.
 * <pre>
 *   spikes [batch, synapses]                       this bin's input (0/1)
 *   state&lt;i&gt; [batch, (k_i-1)*d_i, in_i]          layer i's last inputs, oldest first (zeros at a sequence's start:
 *                                                  the window graph's causal zero padding); only for k_i &gt; 1
 *   per layer: Concat(state, input column) -&gt; [batch, (k-1)*d+1, in]
 *              -&gt; Slice(step d): the k taps -&gt; Reshape [batch, k*in] -&gt; Gemm(W as [out, k*in]) -&gt; activation
 *              [-&gt; Add(input column): residual layers];  state&lt;i&gt;_out = the concatenation without its oldest bin
 *   heads as Gemm: spike_prob [batch], soma_mv [batch] (mV, clipped), nexus_mv [batch] (dendritic head only)
 * </pre>
 * A Gemm over the batch rather than a Conv with one time step: ONNX Runtime's Conv re-reads the
 * weights per sample at T = 1, ~10x slower at batch 64 (../shared/STACK.md). Metadata: the model card
 * plus {@value #GRAPH_KEY} = {@value #GRAPH_STEP}. Fed the same input, the step outputs equal the
 * window graph's ({@link OnnxExporter}) bin by bin.
 */
public final class OnnxStepExporter {
    public static final String INPUT = OnnxExporter.INPUT;
    public static final String SPIKE_OUTPUT = OnnxExporter.SPIKE_OUTPUT;
    public static final String VOLTAGE_OUTPUT = OnnxExporter.VOLTAGE_OUTPUT;
    public static final String DENDRITE_OUTPUT = OnnxExporter.DENDRITE_OUTPUT;
    /** Metadata key telling a step graph from a window graph. */
    public static final String GRAPH_KEY = "ns_graph";
    public static final String GRAPH_STEP = "step";

    private OnnxStepExporter() {
    }

    /** Name of layer {@code i}'s state input; its updated value is {@code stateInput(i) + "_out"}. */
    public static String stateInput(int layer) {
        return "state" + layer;
    }

    public static String stateOutput(int layer) {
        return stateInput(layer) + "_out";
    }

    /** Bins of history layer {@code c} keeps: (k-1)*d, 0 for a 1x1 conv (no state). */
    public static int stateBins(OnnxNetwork.Conv c) {
        return c.historyMs();
    }

    public static byte[] export(OnnxNetwork net, ModelCard card) {
        return toModel(net, card).toByteArray();
    }

    public static ModelProto toModel(OnnxNetwork net, ModelCard card) {
        return builder(net, card, INPUT, GRAPH_STEP).build();
    }

    /**
     * The step graph of {@code net} with input {@code input} [batch, net.synapses()] and metadata
     * {@value #GRAPH_KEY} = {@code graphKind}; the events graph ({@link OnnxEventsExporter}) is the
     * step graph of the layers after the first.
     */
    static ModelProto.Builder builder(OnnxNetwork net, ModelCard card, String input, String graphKind) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("neurosurrogate_tcn_" + graphKind);
        g.addInput(tensorInfo(input, dynamic("batch"), fixed(net.synapses())));
        g.addInitializer(int64Tensor("axis1", 1));
        String x = input;   // [batch, channels]: this bin's input to the current layer
        List<String> stateOutputs = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            OnnxNetwork.Conv c = net.layers().get(i);
            String name = "conv" + i;
            String taps;
            int bins = stateBins(c);
            if (bins == 0) {
                taps = x;
            } else {
                g.addInput(tensorInfo(stateInput(i), dynamic("batch"), fixed(bins), fixed(c.inChannels())));
                String column = name + "_column";
                g.addNode(NodeProto.newBuilder().setOpType("Unsqueeze").setName(name + "_unsqueeze")
                        .addInput(x).addInput("axis1").addOutput(column));
                String window = name + "_window";
                g.addNode(NodeProto.newBuilder().setOpType("Concat").setName(name + "_concat")
                        .addInput(stateInput(i)).addInput(column).addOutput(window).addAttribute(intAttr("axis", 1)));
                // The updated state: the window without its oldest bin.
                g.addInitializer(int64Tensor(name + "_state_starts", 1));
                g.addInitializer(int64Tensor(name + "_state_ends", bins + 1L));
                g.addNode(NodeProto.newBuilder().setOpType("Slice").setName(name + "_state")
                        .addInput(window).addInput(name + "_state_starts").addInput(name + "_state_ends").addInput("axis1")
                        .addOutput(stateOutput(i)));
                stateOutputs.add(stateOutput(i));
                String picked = window;
                if (c.dilation() > 1) {
                    // Taps 0, d, 2d, ..., (k-1)d of the window: tap j meets kernel weight j.
                    g.addInitializer(int64Tensor(name + "_taps_starts", 0));
                    g.addInitializer(int64Tensor(name + "_taps_ends", bins + 1L));
                    g.addInitializer(int64Tensor(name + "_taps_steps", c.dilation()));
                    picked = name + "_taps";
                    g.addNode(NodeProto.newBuilder().setOpType("Slice").setName(name + "_taps")
                            .addInput(window).addInput(name + "_taps_starts").addInput(name + "_taps_ends").addInput("axis1")
                            .addInput(name + "_taps_steps").addOutput(picked));
                }
                g.addInitializer(int64Tensor(name + "_flat_shape", 0, (long) c.kernel() * c.inChannels()));
                taps = name + "_flat";
                g.addNode(NodeProto.newBuilder().setOpType("Reshape").setName(name + "_flatten")
                        .addInput(picked).addInput(name + "_flat_shape").addOutput(taps));
            }
            String y = gemm(g, name, taps, c);
            y = activation(g, name + "_act", y, c.activation());
            if (c.residual()) {
                String sum = name + "_residual_out";
                g.addNode(NodeProto.newBuilder().setOpType("Add").setName(name + "_residual").addInput(y).addInput(x).addOutput(sum));
                y = sum;
            }
            x = y;
        }
        String spikeLogit = gemm(g, "spike_head", x, net.spikeHead());
        String spikeProb = OnnxGraphs.node(g, "Sigmoid", "spike_sigmoid", spikeLogit);
        squeeze(g, "spike_squeeze", spikeProb, SPIKE_OUTPUT);

        String voltNorm = gemm(g, "voltage_head", x, net.voltageHead());
        String mv = toMv(g, voltNorm, "v", "voltage", net.vStdMv(), net.vMeanMv(), "voltage_mv");
        g.addInitializer(floatTensor("v_clip_mv", new float[]{net.vClipMv()}));
        g.addNode(NodeProto.newBuilder().setOpType("Min").setName("voltage_clip").addInput(mv).addInput("v_clip_mv").addOutput("voltage_clipped"));
        squeeze(g, "voltage_squeeze", "voltage_clipped", VOLTAGE_OUTPUT);

        g.addOutput(tensorInfo(SPIKE_OUTPUT, dynamic("batch")));
        g.addOutput(tensorInfo(VOLTAGE_OUTPUT, dynamic("batch")));
        if (net.hasDendrite()) {
            OnnxNetwork.Dendrite d = net.dendrite();
            String nexusNorm = gemm(g, "dendrite_head", x, d.head());
            String nexusMv = toMv(g, nexusNorm, "nexus", "nexus", d.nexusStdMv(), d.nexusMeanMv(), "nexus_mv_2d");
            squeeze(g, "nexus_squeeze", nexusMv, DENDRITE_OUTPUT);
            g.addOutput(tensorInfo(DENDRITE_OUTPUT, dynamic("batch")));
        }
        for (int i = 0; i < net.layers().size(); i++) {
            OnnxNetwork.Conv c = net.layers().get(i);
            if (stateBins(c) > 0) {
                g.addOutput(tensorInfo(stateOutput(i), dynamic("batch"), fixed(stateBins(c)), fixed(c.inChannels())));
            }
        }

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExporter.OPSET))
                .setProducerName("neurosurrogate-trainer")
                .setProducerVersion("1")
                .setDocString("Causal TCN surrogate of a neuron, one 1 ms step per call with explicit convolution state"
                        + " (Beniaguev, Segev & London, Neuron 2021)")
                .setGraph(g);
        for (Map.Entry<String, String> e : ModelCards.toMetadata(card).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(GRAPH_KEY).setValue(graphKind));
        return m;
    }

    /** Multiply-adds of one step of one neuron: every Gemm of the step graph (convs and heads). */
    public static long macs(OnnxNetwork net) {
        long macs = 0;
        for (OnnxNetwork.Conv c : net.layers()) {
            macs += macs(c);
        }
        macs += macs(net.spikeHead()) + macs(net.voltageHead());
        if (net.hasDendrite()) {
            macs += macs(net.dendrite().head());
        }
        return macs;
    }

    static long macs(OnnxNetwork.Conv c) {
        return (long) c.outChannels() * c.inChannels() * c.kernel();
    }

    /**
     * Gemm(taps [batch, k*in], W' [out, k*in] transposed, bias): W'[o][j*in + c] = W[o][c][j], the
     * conv's weights in the tap order of the flattened [batch, k, in] window.
     */
    private static String gemm(GraphProto.Builder g, String name, String input, OnnxNetwork.Conv c) {
        int k = c.kernel();
        int in = c.inChannels();
        float[] w = c.weights();
        float[] flat = new float[w.length];
        for (int o = 0; o < c.outChannels(); o++) {
            for (int ch = 0; ch < in; ch++) {
                for (int j = 0; j < k; j++) {
                    flat[(o * k + j) * in + ch] = w[(o * in + ch) * k + j];
                }
            }
        }
        g.addInitializer(floatTensor(name + "_Wg", flat, c.outChannels(), (long) k * in));
        g.addInitializer(floatTensor(name + "_B", c.bias(), c.outChannels()));
        String out = name + "_out";
        g.addNode(NodeProto.newBuilder().setOpType("Gemm").setName(name)
                .addInput(input).addInput(name + "_Wg").addInput(name + "_B").addOutput(out)
                .addAttribute(intAttr("transB", 1)));
        return out;
    }

    private static void squeeze(GraphProto.Builder g, String name, String input, String output) {
        g.addNode(NodeProto.newBuilder().setOpType("Squeeze").setName(name).addInput(input).addInput("axis1").addOutput(output));
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}

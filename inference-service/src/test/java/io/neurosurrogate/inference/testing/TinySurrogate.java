package io.neurosurrogate.inference.testing;

import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.core.model.ModelCards;
import io.neurosurrogate.proto.onnx.AttributeProto;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.OperatorSetIdProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.onnx.TensorProto;
import io.neurosurrogate.proto.onnx.TensorShapeProto;
import io.neurosurrogate.proto.onnx.TypeProto;
import io.neurosurrogate.proto.onnx.ValueInfoProto;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;

import java.util.Map;

/**
 * A tiny surrogate in the shape of Beniaguev et al. 2021's I&F net, built by hand as ONNX (IR 7,
 * opset 13) so that its outputs can be computed by hand too:
 * y = causal Conv(spikes; w, b) over {@code kernel} ms, spike_prob = sigmoid(headW * y + headB)
 * (a 1x1 Conv head), soma_mv = vScale * y + vOffset (a Mul/Add head); optionally a third output,
 * nexus_mv = NEXUS_SCALE * y + NEXUS_OFFSET, as the trainer's dendritic head adds one. With a step
 * graph ({@link #stepOnnx()}), the same net in the trainer's streaming form: state0 [batch, KERNEL-1,
 * SYNAPSES] of past input columns, Concat with this bin's column, Gemm over the KERNEL taps.
 */
public final class TinySurrogate {
    public static final int N_EXC = 3;
    public static final int N_INH = 2;
    public static final int SYNAPSES = N_EXC + N_INH;
    public static final int KERNEL = 4;
    public static final float CONV_BIAS = -0.5f;
    public static final float HEAD_W = 1.5f;
    public static final float HEAD_B = -0.25f;
    public static final float V_SCALE = 2.0f;
    public static final String NEXUS_OUTPUT = "nexus_mv";
    public static final float NEXUS_SCALE = 3.0f;
    public static final float NEXUS_OFFSET = -60f;
    public static final String STEP_GRAPH_FILE = "model.step.onnx";
    public static final String EVENTS_GRAPH_FILE = "model.events.onnx";

    private final float vOffset;
    private final float[] weights; // [synapse][k], row-major
    private final double threshold;
    private final int cardSynapses;
    private final boolean nexusOutput;
    private final boolean stepGraph;
    private final boolean eventsGraph;

    private TinySurrogate(float vOffset, double threshold, int cardSynapses) {
        this(vOffset, threshold, cardSynapses, false, false, false);
    }

    private TinySurrogate(float vOffset, double threshold, int cardSynapses, boolean nexusOutput, boolean stepGraph, boolean eventsGraph) {
        this.nexusOutput = nexusOutput;
        this.stepGraph = stepGraph;
        this.eventsGraph = eventsGraph;
        this.vOffset = vOffset;
        this.threshold = threshold;
        this.cardSynapses = cardSynapses;
        this.weights = new float[SYNAPSES * KERNEL];
        for (int s = 0; s < SYNAPSES; s++) {
            for (int k = 0; k < KERNEL; k++) {
                // excitatory positive, inhibitory negative, growing towards the most recent bin
                float sign = s < N_EXC ? 1f : -1f;
                weights[s * KERNEL + k] = sign * (0.1f * (k + 1) + 0.05f * s);
            }
        }
    }

    /** @param vOffset resting level of the voltage head, distinguishes versions in tests */
    public static TinySurrogate withOffset(float vOffset) {
        return new TinySurrogate(vOffset, 0.6, SYNAPSES);
    }

    /** A model with the dendritic head's third output, nexus_mv, named in its card. */
    public static TinySurrogate withNexusOutput(float vOffset) {
        return new TinySurrogate(vOffset, 0.6, SYNAPSES, true, false, false);
    }

    /** A model whose card names a step graph, {@value #STEP_GRAPH_FILE} ({@link #stepOnnx()}). */
    public static TinySurrogate withStepGraph(float vOffset) {
        return new TinySurrogate(vOffset, 0.6, SYNAPSES, false, true, false);
    }

    /** The dendritic head's third output, with a step graph that has it too. */
    public static TinySurrogate withNexusAndStepGraph(float vOffset) {
        return new TinySurrogate(vOffset, 0.6, SYNAPSES, true, true, false);
    }

    /** The nexus voltage the model gives for a soma voltage (both are affine in the conv output). */
    public static double nexusFromSoma(double somaMv, float vOffset) {
        return (somaMv - vOffset) / V_SCALE * NEXUS_SCALE + NEXUS_OFFSET;
    }

    /** A model whose card names a step graph and an events graph, {@value #EVENTS_GRAPH_FILE} ({@link #eventsOnnx()}). */
    public static TinySurrogate withEventsGraph(float vOffset) {
        return new TinySurrogate(vOffset, 0.6, SYNAPSES, false, true, true);
    }

    /** A model whose card disagrees with its graph about the synapse count. */
    public static TinySurrogate withWrongCard() {
        return new TinySurrogate(-70f, 0.6, SYNAPSES + 1);
    }

    public double threshold() {
        return threshold;
    }

    public ModelCard card() {
        ModelCard.Builder card = ModelCard.newBuilder()
                .setNeuronModel("iaf-test")
                .setDtMs(1)
                .setReceptiveFieldMs(KERNEL)
                .setNExc(N_EXC)
                .setNInh(cardSynapses - N_EXC)
                .setSynapseOrder("exc[0..2],inh[0..1]")
                .setInputName("spikes")
                .setSpikeOutputName("spike_prob")
                .setVoltageOutputName("soma_mv")
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.99).setThresholdAt0P25Fa(threshold));
        if (nexusOutput) {
            card.setDendriteOutputName(NEXUS_OUTPUT);
        }
        if (stepGraph) {
            card.setStepGraphFile(STEP_GRAPH_FILE);
        }
        if (eventsGraph) {
            card.setEventsGraphFile(EVENTS_GRAPH_FILE);
        }
        return card.build();
    }

    /** The serialised ONNX model. */
    public byte[] onnx() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny-surrogate");
        g.addInput(value("spikes", "batch", SYNAPSES, "time"));
        g.addOutput(value("spike_prob", "batch", null, "time"));
        g.addOutput(value("soma_mv", "batch", null, "time"));
        g.addInitializer(floats("conv_w", weights, 1, SYNAPSES, KERNEL));
        g.addInitializer(floats("conv_b", new float[]{CONV_BIAS}, 1));
        g.addInitializer(floats("head_w", new float[]{HEAD_W}, 1, 1, 1));
        g.addInitializer(floats("head_b", new float[]{HEAD_B}, 1));
        g.addInitializer(floats("v_scale", new float[]{V_SCALE}));
        g.addInitializer(floats("v_offset", new float[]{vOffset}));
        g.addInitializer(longs("channel_axis", 1));
        // causal: pad kernel-1 steps on the left only, so output t sees inputs t-k+1 .. t
        g.addNode(node("Conv", new String[]{"spikes", "conv_w", "conv_b"}, "y")
                .addAttribute(ints("kernel_shape", KERNEL))
                .addAttribute(ints("pads", KERNEL - 1, 0)));
        g.addNode(node("Conv", new String[]{"y", "head_w", "head_b"}, "logit").addAttribute(ints("kernel_shape", 1)));
        g.addNode(node("Sigmoid", new String[]{"logit"}, "prob3"));
        g.addNode(node("Squeeze", new String[]{"prob3", "channel_axis"}, "spike_prob"));
        g.addNode(node("Mul", new String[]{"y", "v_scale"}, "v_scaled"));
        g.addNode(node("Add", new String[]{"v_scaled", "v_offset"}, "v3"));
        g.addNode(node("Squeeze", new String[]{"v3", "channel_axis"}, "soma_mv"));
        if (nexusOutput) {
            g.addOutput(value(NEXUS_OUTPUT, "batch", null, "time"));
            g.addInitializer(floats("nexus_scale", new float[]{NEXUS_SCALE}));
            g.addInitializer(floats("nexus_offset", new float[]{NEXUS_OFFSET}));
            g.addNode(node("Mul", new String[]{"y", "nexus_scale"}, "n_scaled"));
            g.addNode(node("Add", new String[]{"n_scaled", "nexus_offset"}, "n3"));
            g.addNode(node("Squeeze", new String[]{"n3", "channel_axis"}, NEXUS_OUTPUT));
        }
        return withCard(g).build().toByteArray();
    }

    /** The step graph, marked {@code ns_graph = step} as the trainer's OnnxStepExporter marks it. */
    public byte[] stepOnnx() {
        return withCard(stepGraph()).addMetadataProps(StringStringEntryProto.newBuilder().setKey("ns_graph").setValue("step"))
                .build().toByteArray();
    }

    /** A valid step graph without the {@code ns_graph = step} mark, as a window graph would be. */
    public byte[] unmarkedStepOnnx() {
        return withCard(stepGraph()).build().toByteArray();
    }

    /**
     * The events graph as the trainer's OnnxEventsExporter writes it: the conv's weights as
     * event_weights [synapses, kernel, 1] (delay 0 = the current bin) and event_bias, read by no node;
     * the heads as a step graph on the input "features" [batch, 1] (the conv's output; identity activation).
     */
    public byte[] eventsOnnx() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny-surrogate-events");
        g.addInput(fixedValue("features", "batch", 1));
        g.addOutput(fixedValue("spike_prob", "batch"));
        g.addOutput(fixedValue("soma_mv", "batch"));
        float[] byDelay = new float[SYNAPSES * KERNEL];
        for (int s = 0; s < SYNAPSES; s++) {
            for (int k = 0; k < KERNEL; k++) {
                byDelay[s * KERNEL + (KERNEL - 1 - k)] = weights[s * KERNEL + k];
            }
        }
        g.addInitializer(floats("event_weights", byDelay, SYNAPSES, KERNEL, 1));
        g.addInitializer(floats("event_bias", new float[]{CONV_BIAS}, 1));
        g.addInitializer(floats("head_w", new float[]{HEAD_W}));
        g.addInitializer(floats("head_b", new float[]{HEAD_B}));
        g.addInitializer(floats("v_scale", new float[]{V_SCALE}));
        g.addInitializer(floats("v_offset", new float[]{vOffset}));
        g.addInitializer(longs("axis1", 1));
        g.addNode(node("Mul", new String[]{"features", "head_w"}, "logit_scaled"));
        g.addNode(node("Add", new String[]{"logit_scaled", "head_b"}, "logit"));
        g.addNode(node("Sigmoid", new String[]{"logit"}, "prob2"));
        g.addNode(node("Squeeze", new String[]{"prob2", "axis1"}, "spike_prob"));
        g.addNode(node("Mul", new String[]{"features", "v_scale"}, "v_scaled"));
        g.addNode(node("Add", new String[]{"v_scaled", "v_offset"}, "v2"));
        g.addNode(node("Squeeze", new String[]{"v2", "axis1"}, "soma_mv"));
        return withCard(g)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ns_graph").setValue("events"))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ns_event_dilation").setValue("1"))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("ns_event_activation").setValue("identity"))
                .build().toByteArray();
    }

    private GraphProto.Builder stepGraph() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny-surrogate-step");
        g.addInput(fixedValue("spikes", "batch", SYNAPSES));
        g.addInput(fixedValue("state0", "batch", KERNEL - 1, SYNAPSES));
        g.addOutput(fixedValue("spike_prob", "batch"));
        g.addOutput(fixedValue("soma_mv", "batch"));
        g.addOutput(fixedValue("state0_out", "batch", KERNEL - 1, SYNAPSES));
        // the taps as a [KERNEL * SYNAPSES, 1] matrix over the window flattened oldest bin first
        float[] taps = new float[KERNEL * SYNAPSES];
        for (int k = 0; k < KERNEL; k++) {
            for (int s = 0; s < SYNAPSES; s++) {
                taps[k * SYNAPSES + s] = weights[s * KERNEL + k];
            }
        }
        g.addInitializer(floats("taps", taps, (long) KERNEL * SYNAPSES, 1));
        g.addInitializer(floats("conv_b", new float[]{CONV_BIAS}, 1));
        g.addInitializer(floats("head_w", new float[]{HEAD_W}));
        g.addInitializer(floats("head_b", new float[]{HEAD_B}));
        g.addInitializer(floats("v_scale", new float[]{V_SCALE}));
        g.addInitializer(floats("v_offset", new float[]{vOffset}));
        g.addInitializer(longs("axis1", 1));
        g.addInitializer(longs("kernel_end", KERNEL));
        g.addInitializer(longs("flat_shape", -1, (long) KERNEL * SYNAPSES));
        g.addNode(node("Unsqueeze", new String[]{"spikes", "axis1"}, "column"));
        g.addNode(node("Concat", new String[]{"state0", "column"}, "window").addAttribute(AttributeProto.newBuilder()
                .setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addNode(node("Slice", new String[]{"window", "axis1", "kernel_end", "axis1"}, "state0_out"));
        g.addNode(node("Reshape", new String[]{"window", "flat_shape"}, "flat"));
        g.addNode(node("Gemm", new String[]{"flat", "taps", "conv_b"}, "y"));
        g.addNode(node("Mul", new String[]{"y", "head_w"}, "logit_scaled"));
        g.addNode(node("Add", new String[]{"logit_scaled", "head_b"}, "logit"));
        g.addNode(node("Sigmoid", new String[]{"logit"}, "prob2"));
        g.addNode(node("Squeeze", new String[]{"prob2", "axis1"}, "spike_prob"));
        g.addNode(node("Mul", new String[]{"y", "v_scale"}, "v_scaled"));
        g.addNode(node("Add", new String[]{"v_scaled", "v_offset"}, "v2"));
        g.addNode(node("Squeeze", new String[]{"v2", "axis1"}, "soma_mv"));
        if (nexusOutput) {
            g.addOutput(fixedValue(NEXUS_OUTPUT, "batch"));
            g.addInitializer(floats("nexus_scale", new float[]{NEXUS_SCALE}));
            g.addInitializer(floats("nexus_offset", new float[]{NEXUS_OFFSET}));
            g.addNode(node("Mul", new String[]{"y", "nexus_scale"}, "n_scaled"));
            g.addNode(node("Add", new String[]{"n_scaled", "nexus_offset"}, "n2"));
            g.addNode(node("Squeeze", new String[]{"n2", "axis1"}, NEXUS_OUTPUT));
        }
        return g;
    }

    private ModelProto.Builder withCard(GraphProto.Builder g) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setProducerName("inference-service tests")
                .setGraph(g);
        for (Map.Entry<String, String> e : ModelCards.toMetadata(card()).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m;
    }

    /** The hand computation: [0] spike_prob, [1] soma_mv, each [batch][time], for input [batch][synapse][time]. */
    public double[][][] expected(float[][][] spikes) {
        int batch = spikes.length;
        int time = spikes[0][0].length;
        double[][][] out = new double[2][batch][time];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < time; t++) {
                double y = CONV_BIAS;
                for (int s = 0; s < SYNAPSES; s++) {
                    for (int k = 0; k < KERNEL; k++) {
                        int src = t - (KERNEL - 1) + k;
                        if (src >= 0) {
                            y += weights[s * KERNEL + k] * spikes[n][s][src];
                        }
                    }
                }
                out[0][n][t] = 1 / (1 + Math.exp(-(HEAD_W * y + HEAD_B)));
                out[1][n][t] = V_SCALE * y + vOffset;
            }
        }
        return out;
    }

    /** A CREATED event for these bytes, served by the trainer at {@code trainerAddress}. */
    public ModelEvent createdEvent(String model, int version, String trainerAddress) {
        byte[] bytes = onnx();
        return createdEvent(model, version, trainerAddress, Sha256.of(bytes), bytes.length);
    }

    public ModelEvent createdEvent(String model, int version, String trainerAddress, String sha256, long size) {
        ModelVersion.Builder v = ModelVersion.newBuilder()
                .setModelName(model)
                .setVersion(version)
                .setArtifactPath(model + "/" + version + "/model.onnx")
                .setSha256(sha256)
                .setSizeBytes(size)
                .setCard(card())
                .setTrainerAddress(trainerAddress);
        if (stepGraph) {
            v.addReportFiles(STEP_GRAPH_FILE);
        }
        return ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_CREATED).setModel(v).build();
    }

    private static ValueInfoProto value(String name, String batch, Integer middle, String time) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        if (middle != null) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(middle));
        }
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(time));
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static ValueInfoProto fixedValue(String name, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    private static TensorProto floats(String name, float[] data, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : data) {
            t.addFloatData(f);
        }
        return t.build();
    }

    private static NodeProto.Builder node(String op, String[] inputs, String output) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op.toLowerCase());
        for (String in : inputs) {
            n.addInput(in);
        }
        return n.addOutput(output);
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}

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
 * nexus_mv = NEXUS_SCALE * y + NEXUS_OFFSET, as the trainer's dendritic head adds one.
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

    private final float vOffset;
    private final float[] weights; // [synapse][k], row-major
    private final double threshold;
    private final int cardSynapses;
    private final boolean nexusOutput;

    private TinySurrogate(float vOffset, double threshold, int cardSynapses) {
        this(vOffset, threshold, cardSynapses, false);
    }

    private TinySurrogate(float vOffset, double threshold, int cardSynapses, boolean nexusOutput) {
        this.nexusOutput = nexusOutput;
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
        return new TinySurrogate(vOffset, 0.6, SYNAPSES, true);
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
        g.addInitializer(TensorProto.newBuilder().setName("channel_axis").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(1).addInt64Data(1));
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
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setProducerName("inference-service tests")
                .setGraph(g);
        for (Map.Entry<String, String> e : ModelCards.toMetadata(card()).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build().toByteArray();
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
        return ModelEvent.newBuilder()
                .setKind(ModelEvent.Kind.KIND_CREATED)
                .setModel(ModelVersion.newBuilder()
                        .setModelName(model)
                        .setVersion(version)
                        .setArtifactPath(model + "/" + version + "/model.onnx")
                        .setSha256(sha256)
                        .setSizeBytes(size)
                        .setCard(card())
                        .setTrainerAddress(trainerAddress))
                .build();
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

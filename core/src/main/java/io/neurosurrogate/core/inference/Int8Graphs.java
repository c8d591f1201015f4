package io.neurosurrogate.core.inference;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.proto.onnx.AttributeProto;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The int8 form of a step graph (or of an events graph's tail): every Gemm with an initializer
 * weight, i.e. every convolution layer, becomes an integer matrix product; the heads (Gemm nodes
 * named {@code *_head}, one output row each) stay float.
 * <pre>
 *   Gemm(x, W [out, K], b, transB=1)
 *     -&gt; DynamicQuantizeLinear(x) -&gt; x_q (uint8), x_scale, x_zero   per call, over the whole batch
 *        MatMulInteger(x_q, W_q [K, out] int8, x_zero, 0) -&gt; int32    VNNI kernels on x86
 *        Cast(float) * (x_scale * w_scale [out]) + b
 * </pre>
 * Weights are quantised symmetrically per output channel (w_scale = max |W[o]| / 127); activations
 * per call with ONNX's DynamicQuantizeLinear (asymmetric uint8 over the tensor). On this project's
 * CPU (AVX-512 VNNI) ONNX Runtime runs such products ~2.5-3x faster than float Gemm, at the price of
 * an approximation: outputs are no longer equal to the window graph's, so the int8 form is an
 * opt-in (StreamOpen.precision) and its deviation is measured, never assumed.
 */
public final class Int8Graphs {
    /** Metadata key and value marking a quantised graph. */
    public static final String PRECISION_KEY = "ns_precision";
    public static final String INT8 = "int8";
    /** Gemm nodes with this name suffix (the exporters' spike, voltage and dendrite heads) stay float. */
    public static final String HEAD_SUFFIX = "_head";

    private Int8Graphs() {
    }

    /**
     * Quantises every Gemm that is not a head, has no transA, default alpha and beta, a 2-d float
     * initializer weight read by no other node, and an initializer bias or none.
     *
     * @throws IllegalArgumentException when {@code onnx} is not a model or has no such Gemm
     */
    public static byte[] quantise(byte[] onnx) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        GraphProto.Builder g = model.getGraph().toBuilder();
        Map<String, Integer> initializers = new HashMap<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            initializers.put(g.getInitializer(i).getName(), i);
        }
        Map<String, Integer> readers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        GraphProto.Builder out = g.clone().clearNode();
        int quantised = 0;
        for (NodeProto n : g.getNodeList()) {
            TensorProto w = quantisable(n, initializers, readers, g);
            if (w == null) {
                out.addNode(n);
                continue;
            }
            quantised++;
            replace(out, n, w, transposed(n), n.getInputCount() > 2 ? n.getInput(2) : null);
        }
        if (quantised == 0) {
            throw new IllegalArgumentException("no Gemm to quantise (only heads, or none with an initializer weight)");
        }
        // Drop the float weights nothing reads any more.
        java.util.Set<String> read = new java.util.HashSet<>();
        for (NodeProto n : out.getNodeList()) {
            read.addAll(n.getInputList());
        }
        for (int i = out.getInitializerCount() - 1; i >= 0; i--) {
            if (!read.contains(out.getInitializer(i).getName())) {
                out.removeInitializer(i);
            }
        }
        ModelProto.Builder m = model.toBuilder().setGraph(out);
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(PRECISION_KEY).setValue(INT8));
        return m.build().toByteArray();
    }

    private static TensorProto quantisable(NodeProto n, Map<String, Integer> initializers, Map<String, Integer> readers, GraphProto.Builder g) {
        if (!n.getOpType().equals("Gemm") || n.getInputCount() < 2 || n.getOutputCount() != 1 || n.getName().endsWith(HEAD_SUFFIX)) {
            return null;
        }
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "transB" -> {
                }
                case "transA" -> {
                    if (a.getI() != 0) {
                        return null;
                    }
                }
                case "alpha", "beta" -> {
                    if (a.getF() != 1f) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        Integer wi = initializers.get(n.getInput(1));
        if (wi == null || readers.getOrDefault(n.getInput(1), 0) != 1) {
            return null;
        }
        TensorProto w = g.getInitializer(wi);
        if (w.getDimsCount() != 2 || w.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            return null;
        }
        long outputs = transposed(n) ? w.getDims(0) : w.getDims(1);
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Integer bi = initializers.get(n.getInput(2));
            if (bi == null || g.getInitializer(bi).getDimsCount() != 1 || g.getInitializer(bi).getDims(0) != outputs) {
                return null;
            }
        }
        return w;
    }

    private static boolean transposed(NodeProto gemm) {
        for (AttributeProto a : gemm.getAttributeList()) {
            if (a.getName().equals("transB")) {
                return a.getI() == 1;
            }
        }
        return false;
    }

    /** @param transB whether {@code weight} is [out, K] (Gemm transB = 1) rather than [K, out] */
    private static void replace(GraphProto.Builder g, NodeProto gemm, TensorProto weight, boolean transB, String bias) {
        int rows = Math.toIntExact(weight.getDims(transB ? 0 : 1));    // out
        int depth = Math.toIntExact(weight.getDims(transB ? 1 : 0));   // K
        float[] stored = EventGraphs.floats(weight);
        float[] w = stored;                                             // [out][K]
        if (!transB) {
            w = new float[stored.length];
            for (int k = 0; k < depth; k++) {
                for (int o = 0; o < rows; o++) {
                    w[o * depth + k] = stored[k * rows + o];
                }
            }
        }
        float[] scales = new float[rows];
        byte[] q = new byte[rows * depth];                 // [K, out]: MatMul's B
        for (int o = 0; o < rows; o++) {
            float max = 0f;
            for (int k = 0; k < depth; k++) {
                max = Math.max(max, Math.abs(w[o * depth + k]));
            }
            float scale = max > 0f ? max / 127f : 1f;
            scales[o] = scale;
            for (int k = 0; k < depth; k++) {
                q[k * rows + o] = (byte) Math.max(-127, Math.min(127, Math.round(w[o * depth + k] / scale)));
            }
        }
        String p = gemm.getName().isEmpty() ? gemm.getOutput(0) : gemm.getName();
        g.addInitializer(TensorProto.newBuilder().setName(p + "_Wq").setDataType(TensorProto.DataType.INT8_VALUE)
                .addDims(depth).addDims(rows).setRawData(ByteString.copyFrom(q)));
        g.addInitializer(TensorProto.newBuilder().setName(p + "_Wq_zero").setDataType(TensorProto.DataType.INT8_VALUE)
                .setRawData(ByteString.copyFrom(new byte[]{0})));
        g.addInitializer(floats(p + "_Wq_scale", scales));
        String x = gemm.getInput(0);
        g.addNode(node("DynamicQuantizeLinear", p + "_quantise", new String[]{x}, p + "_xq", p + "_xq_scale", p + "_xq_zero"));
        g.addNode(node("MatMulInteger", p + "_matmul", new String[]{p + "_xq", p + "_Wq", p + "_xq_zero", p + "_Wq_zero"}, p + "_int"));
        g.addNode(node("Cast", p + "_float", new String[]{p + "_int"}, p + "_intf")
                .toBuilder().addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(TensorProto.DataType.FLOAT_VALUE)).build());
        g.addNode(node("Mul", p + "_scales", new String[]{p + "_xq_scale", p + "_Wq_scale"}, p + "_scale"));
        String result = bias == null || bias.isEmpty() ? gemm.getOutput(0) : p + "_scaled";
        g.addNode(node("Mul", p + "_rescale", new String[]{p + "_intf", p + "_scale"}, result));
        if (!result.equals(gemm.getOutput(0))) {
            g.addNode(node("Add", p + "_bias", new String[]{result, bias}, gemm.getOutput(0)));
        }
    }

    private static NodeProto node(String op, String name, String[] inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        return n.build();
    }

    private static TensorProto floats(String name, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(values.length)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }
}

package io.neurosurrogate.trainer.onnx;

import com.google.protobuf.ByteString;
import io.neurosurrogate.proto.onnx.AttributeProto;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.TensorProto;
import io.neurosurrogate.proto.onnx.TensorShapeProto;
import io.neurosurrogate.proto.onnx.TypeProto;
import io.neurosurrogate.proto.onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Graph-building helpers shared by the window ({@link OnnxExporter}), step ({@link OnnxStepExporter}) and
 * events ({@link OnnxEventsExporter}) graphs, and by the Gemm-rate benchmark.
 */
public final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /**
     * De-normalisation inside the graph: {@code normalised x std + mean}, in mV. Initialisers
     * {@code <constants>_std_mv} and {@code <constants>_mean_mv}, nodes {@code <nodes>_mul_std} and
     * {@code <nodes>_add_mean}; returns {@code output}.
     */
    static String toMv(GraphProto.Builder g, String normalised, String constants, String nodes, float stdMv, float meanMv,
                               String output) {
        g.addInitializer(floatTensor(constants + "_std_mv", new float[]{stdMv}));
        g.addInitializer(floatTensor(constants + "_mean_mv", new float[]{meanMv}));
        String scaled = nodes + "_scaled";
        g.addNode(NodeProto.newBuilder().setOpType("Mul").setName(nodes + "_mul_std").addInput(normalised).addInput(constants + "_std_mv").addOutput(scaled));
        g.addNode(NodeProto.newBuilder().setOpType("Add").setName(nodes + "_add_mean").addInput(scaled).addInput(constants + "_mean_mv").addOutput(output));
        return output;
    }

    static String activation(GraphProto.Builder g, String name, String input, String activation) {
        return switch (activation) {
            case "identity" -> input;
            case "relu" -> node(g, "Relu", name, input);
            case "tanh" -> node(g, "Tanh", name, input);
            case "sigmoid" -> node(g, "Sigmoid", name, input);
            default -> throw new IllegalArgumentException("no ONNX op for activation " + activation);
        };
    }

    static String node(GraphProto.Builder g, String op, String name, String input) {
        String out = name + "_out";
        g.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addInput(input).addOutput(out));
        return out;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        if (dims.length == 0) {
            t.addDims(data.length);
        }
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static TensorProto int64Tensor(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    static TensorShapeProto.Dimension dynamic(String param) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(param).build();
    }

    public static TensorShapeProto.Dimension fixed(long value) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
    }

    public static ValueInfoProto tensorInfo(String name, TensorShapeProto.Dimension... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (TensorShapeProto.Dimension d : dims) {
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }
}

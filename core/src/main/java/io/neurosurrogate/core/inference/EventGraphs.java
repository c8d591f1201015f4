package io.neurosurrogate.core.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The event-driven form of a surrogate in one ONNX file (ModelCard.events_graph_file): the first
 * layer's weights as initializers {@value #WEIGHTS} [synapses, kernel, channels] (delay 0 first) and
 * {@value #BIAS} [channels], which no node reads, and the rest of the network as a step graph whose
 * input {@value #FEATURES} [batch, channels] is the first layer's activated output. Metadata:
 * {@value #GRAPH_KEY} = {@value #GRAPH_EVENTS}, {@value #DILATION_KEY}, {@value #ACTIVATION_KEY}.
 * The trainer writes it; a server {@link #split}s it into the Java input layer and the graph it
 * hands to ONNX Runtime.
 */
public final class EventGraphs {
    public static final String GRAPH_KEY = "ns_graph";
    public static final String GRAPH_EVENTS = "events";
    public static final String DILATION_KEY = "ns_event_dilation";
    public static final String ACTIVATION_KEY = "ns_event_activation";
    public static final String WEIGHTS = "event_weights";
    public static final String BIAS = "event_bias";
    /** Input of the events graph: the first layer's activated output for this bin. */
    public static final String FEATURES = "features";

    private EventGraphs() {
    }

    /** The input layer and the graph without its initializers, for ONNX Runtime. */
    public record Split(EventInputLayer layer, byte[] graph, Map<String, String> metadata) {
    }

    /**
     * Parses an events graph file.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    public static Split split(byte[] onnx) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new HashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            metadata.put(p.getKey(), p.getValue());
        }
        if (!GRAPH_EVENTS.equals(metadata.get(GRAPH_KEY))) {
            throw new IllegalArgumentException("metadata " + GRAPH_KEY + " = " + metadata.get(GRAPH_KEY) + ", expected '" + GRAPH_EVENTS + "'");
        }
        int dilation;
        try {
            dilation = Integer.parseInt(metadata.getOrDefault(DILATION_KEY, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + DILATION_KEY + " is not an integer: " + metadata.get(DILATION_KEY));
        }
        EventInputLayer.Activation activation = EventInputLayer.Activation.parse(metadata.get(ACTIVATION_KEY));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        TensorProto weights = null;
        TensorProto bias = null;
        for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
            TensorProto t = graph.getInitializer(i);
            if (t.getName().equals(WEIGHTS)) {
                weights = t;
                graph.removeInitializer(i);
            } else if (t.getName().equals(BIAS)) {
                bias = t;
                graph.removeInitializer(i);
            }
        }
        if (weights == null || bias == null) {
            throw new IllegalArgumentException("initializers " + WEIGHTS + " and " + BIAS + " are required");
        }
        if (weights.getDimsCount() != 3 || bias.getDimsCount() != 1 || bias.getDims(0) != weights.getDims(2)) {
            throw new IllegalArgumentException(WEIGHTS + " must be [synapses, kernel, channels] and " + BIAS
                    + " [channels], got " + weights.getDimsList() + " and " + bias.getDimsList());
        }
        EventInputLayer layer = new EventInputLayer(Math.toIntExact(weights.getDims(0)), Math.toIntExact(weights.getDims(1)), dilation,
                Math.toIntExact(weights.getDims(2)), floats(weights), floats(bias), activation);
        byte[] stripped = model.toBuilder().setGraph(graph).build().toByteArray();
        return new Split(layer, stripped, metadata);
    }

    /** A float tensor's values, from raw_data (little-endian) or float_data. */
    public static float[] floats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("tensor " + t.getName() + " is not float32");
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        float[] out = new float[Math.toIntExact(n)];
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != out.length * 4L) {
                throw new IllegalArgumentException("tensor " + t.getName() + " has " + t.getRawData().size() + " bytes for " + n + " floats");
            }
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            if (t.getFloatDataCount() != out.length) {
                throw new IllegalArgumentException("tensor " + t.getName() + " has " + t.getFloatDataCount() + " floats, dims say " + n);
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }
}

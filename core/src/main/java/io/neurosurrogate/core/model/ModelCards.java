package io.neurosurrogate.core.model;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model card as ONNX {@code metadata_props}: one flat string entry per card field, named after
 * the proto field ({@code neuron_model}, {@code n_exc}, ...; metrics as {@code metrics.spike_auc}).
 * Standard ONNX tools show them; ONNX Runtime returns them from {@code getCustomMetadata()}.
 */
public final class ModelCards {
    private static final String METRICS_PREFIX = "metrics.";

    private ModelCards() {
    }

    public static Map<String, String> toMetadata(ModelCard card) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(card, "", out);
        return out;
    }

    public static ModelCard fromMetadata(Map<String, String> metadata) {
        ModelCard.Builder card = ModelCard.newBuilder();
        EvaluationMetrics.Builder metrics = EvaluationMetrics.newBuilder();
        boolean anyMetric = false;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(METRICS_PREFIX)) {
                anyMetric |= set(metrics, e.getKey().substring(METRICS_PREFIX.length()), e.getValue());
            } else {
                set(card, e.getKey(), e.getValue());
            }
        }
        if (anyMetric) {
            card.setMetrics(metrics);
        }
        return card.build();
    }

    private static void flatten(Message message, String prefix, Map<String, String> out) {
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                flatten((Message) e.getValue(), prefix + f.getName() + ".", out);
            } else {
                out.put(prefix + f.getName(), String.valueOf(e.getValue()));
            }
        }
    }

    /** Sets a scalar field by name; unknown keys (from newer writers) are ignored. */
    private static boolean set(Message.Builder builder, String name, String value) {
        FieldDescriptor f = builder.getDescriptorForType().findFieldByName(name);
        if (f == null || f.isRepeated()) {
            return false;
        }
        try {
            Object v = switch (f.getJavaType()) {
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case FLOAT -> Float.parseFloat(value);
                case DOUBLE -> Double.parseDouble(value);
                case BOOLEAN -> Boolean.parseBoolean(value);
                case STRING -> value;
                default -> null;
            };
            if (v == null) {
                return false;
            }
            builder.setField(f, v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

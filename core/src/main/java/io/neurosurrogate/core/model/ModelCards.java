package io.neurosurrogate.core.model;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.neurosurrogate.proto.v1.ModelCard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model card as ONNX {@code metadata_props}: one flat string entry per card field, named after
 * the proto field ({@code neuron_model}, {@code n_exc}, ...; metrics as {@code metrics.spike_auc}).
 * Standard ONNX tools show them; ONNX Runtime returns them from {@code getCustomMetadata()}.
 */
public final class ModelCards {
    private ModelCards() {
    }

    public static Map<String, String> toMetadata(ModelCard card) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(card, "", out);
        return out;
    }

    public static ModelCard fromMetadata(Map<String, String> metadata) {
        ModelCard.Builder card = ModelCard.newBuilder();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (dot < 0) {
                set(card, key, e.getValue());
                continue;
            }
            // Nested messages (metrics.*, ood_metrics.*): one level, as flatten() writes them.
            FieldDescriptor f = card.getDescriptorForType().findFieldByName(key.substring(0, dot));
            if (f != null && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                set(card.getFieldBuilder(f), key.substring(dot + 1), e.getValue());
            }
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

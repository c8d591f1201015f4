package io.neurosurrogate.gateway.validation;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.neurosurrogate.core.DomainException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks every numeric field of a message (nested messages and repeated fields included) and rejects
 * non-finite floating-point values and, outside an allow-list of signed fields, negative numbers. Unset
 * proto3 scalars are zero, so only fields the caller actually set can fail.
 */
final class NumericFields {

    private NumericFields() {
    }

    /**
     * @param root        message to check
     * @param prefix      path of {@code root} in the request, for messages ("" for the request itself)
     * @param signedPaths dotted field paths (without list indices) that may be negative
     */
    static void requireFiniteAndNonNegative(Message root, String prefix, Set<String> signedPaths) {
        walk(root, prefix, prefix, signedPaths);
    }

    private static void walk(Message message, String path, String plainPath, Set<String> signedPaths) {
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            String name = path.isEmpty() ? f.getName() : path + "." + f.getName();
            String plainName = plainPath.isEmpty() ? f.getName() : plainPath + "." + f.getName();
            if (f.isRepeated()) {
                List<?> values = (List<?>) e.getValue();
                for (int i = 0; i < values.size(); i++) {
                    check(f, values.get(i), name + "[" + i + "]", plainName, signedPaths);
                }
            } else {
                check(f, e.getValue(), name, plainName, signedPaths);
            }
        }
    }

    private static void check(FieldDescriptor f, Object value, String name, String plainName, Set<String> signedPaths) {
        switch (f.getJavaType()) {
            case MESSAGE -> walk((Message) value, name, plainName, signedPaths);
            case DOUBLE, FLOAT -> {
                double x = ((Number) value).doubleValue();
                if (!Double.isFinite(x)) {
                    throw DomainException.invalid(name + " must be a finite number, got " + x);
                }
                requireSign(x < 0, name, value, plainName, signedPaths);
            }
            case INT, LONG -> requireSign(((Number) value).longValue() < 0 && !isUnsigned(f), name, value, plainName, signedPaths);
            default -> {
            }
        }
    }

    private static void requireSign(boolean negative, String name, Object value, String plainName, Set<String> signedPaths) {
        if (negative && !signedPaths.contains(plainName)) {
            throw DomainException.invalid(name + " must be >= 0, got " + value);
        }
    }

    /** uint64 seeds arrive as negative longs above 2^63; they are not negative numbers. */
    private static boolean isUnsigned(FieldDescriptor f) {
        return switch (f.getType()) {
            case UINT32, UINT64, FIXED32, FIXED64 -> true;
            default -> false;
        };
    }
}

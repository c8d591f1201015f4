package io.neurosurrogate.gateway.oip;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.proto.oip.InferTensorContents;
import io.neurosurrogate.proto.oip.ModelInferRequest.InferInputTensor;
import io.neurosurrogate.proto.v1.PackedSpikes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The input tensor of a surrogate, [batch, synapses, time] of 0/1 values, decoded from an OIP input (typed
 * contents or raw little-endian bytes) straight into the packed form the inference service takes: per
 * [neuron][bin], the synapses that hold a 1 (PackedSpikes, core SpikePacking). Any other value (2, 0.5, NaN, Inf) is refused with its position, so
 * that a caller who sent voltages or rates instead of spikes learns so instead of getting a silent answer.
 */
public record SpikeTensor(int batch, int synapses, int time, PackedSpikes packed) {

    /** Datatypes a spike tensor may come in, with their size in raw bytes. */
    private enum Type {
        BOOL(1), UINT8(1), INT8(1), INT32(4), INT64(8), FP32(4), FP64(8);

        final int bytes;

        Type(int bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * @param raw the tensor's entry of raw_input_contents, or null when it travels in {@code contents}
     * @param maxElements the largest batch x synapses x time accepted
     */
    public static SpikeTensor decode(InferInputTensor input, ByteString raw, long maxElements) {
        String name = input.getName();
        Type type;
        try {
            type = Type.valueOf(input.getDatatype());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("input '" + name + "' has datatype '" + input.getDatatype()
                    + "'; spikes are FP32 (or BOOL, UINT8, INT8, INT32, INT64, FP64) holding 0 or 1");
        }
        if (input.getShapeCount() != 3) {
            throw DomainException.invalid("input '" + name + "' has shape " + input.getShapeList()
                    + "; expected [batch, synapses, time]");
        }
        long b = input.getShape(0);
        long s = input.getShape(1);
        long t = input.getShape(2);
        if (b < 1 || s < 1 || t < 1) {
            throw DomainException.invalid("input '" + name + "' has shape " + input.getShapeList() + "; every dimension must be >= 1");
        }
        if (b > Integer.MAX_VALUE || s > Integer.MAX_VALUE || t > Integer.MAX_VALUE
                || Math.multiplyHigh(b * s, t) != 0 || b * s * t > maxElements) {
            throw DomainException.invalid("input '" + name + "' has shape " + input.getShapeList() + ": more than "
                    + maxElements + " elements");
        }
        int elements = (int) (b * s * t);
        Values values = raw != null ? rawValues(name, type, raw, elements) : typedValues(name, type, input.getContents(), elements);
        return packed((int) b, (int) s, (int) t, values, name);
    }

    /** Element i of the tensor as a double (exact for every accepted type's 0 and 1). */
    private interface Values {
        double get(int i);
    }

    private static Values rawValues(String name, Type type, ByteString raw, int elements) {
        long expected = (long) elements * type.bytes;
        if (raw.size() != expected) {
            throw DomainException.invalid("input '" + name + "': raw_input_contents holds " + raw.size() + " bytes; its shape and "
                    + type + " need " + expected);
        }
        ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case BOOL, UINT8 -> i -> buf.get(i) & 0xff;
            case INT8 -> i -> buf.get(i);
            case INT32 -> i -> buf.getInt(i * 4);
            case INT64 -> i -> buf.getLong(i * 8);
            case FP32 -> i -> buf.getFloat(i * 4);
            case FP64 -> i -> buf.getDouble(i * 8);
        };
    }

    private static Values typedValues(String name, Type type, InferTensorContents c, int elements) {
        int count;
        Values values;
        String field;
        switch (type) {
            case BOOL -> { count = c.getBoolContentsCount(); field = "bool_contents"; values = i -> c.getBoolContents(i) ? 1 : 0; }
            case UINT8 -> { count = c.getUintContentsCount(); field = "uint_contents"; values = i -> c.getUintContents(i) & 0xffffffffL; }
            case INT8, INT32 -> { count = c.getIntContentsCount(); field = "int_contents"; values = c::getIntContents; }
            case INT64 -> { count = c.getInt64ContentsCount(); field = "int64_contents"; values = c::getInt64Contents; }
            case FP32 -> { count = c.getFp32ContentsCount(); field = "fp32_contents"; values = c::getFp32Contents; }
            case FP64 -> { count = c.getFp64ContentsCount(); field = "fp64_contents"; values = c::getFp64Contents; }
            default -> throw new IllegalStateException(type.name());
        }
        if (count != elements) {
            throw DomainException.invalid("input '" + name + "': contents." + field + " holds " + count
                    + " values; its shape needs " + elements + (count == 0 ? " (or send the tensor in raw_input_contents)" : ""));
        }
        return values;
    }

    private static SpikeTensor packed(int batch, int synapses, int time, Values values, String name) {
        SpikePacking.Builder packed = new SpikePacking.Builder(batch, time);
        int i = 0;
        for (int n = 0; n < batch; n++) {
            for (int s = 0; s < synapses; s++) {
                for (int t = 0; t < time; t++, i++) {
                    double v = values.get(i);
                    if (v == 0) {
                        continue;
                    }
                    if (v != 1) {
                        throw DomainException.invalid("input '" + name + "' [" + n + ", " + s + ", " + t + "] is " + v
                                + (Double.isFinite(v) ? "" : " (not finite)") + "; spikes are 0 or 1 per 1 ms bin");
                    }
                    packed.add(n, t, s);
                }
            }
        }
        return new SpikeTensor(batch, synapses, time, packed.build());
    }
}

package io.neurosurrogate.core.inference;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Validation and decoding of {@link PredictRequest}s, shared by the gateway (reject early) and the
 * inference service (never trust the caller). Every failure is an INVALID_ARGUMENT with a message
 * that names the field and the expected value.
 */
public final class PredictRequests {
    /** Upper bound on batch * synapses * time, i.e. 64 Mi floats = 256 MiB dense. */
    public static final long MAX_ELEMENTS = 64L * 1024 * 1024;
    public static final int MAX_BATCH = 4096;
    public static final int MAX_TIME_MS = 600_000;

    private PredictRequests() {
    }

    /** Structural checks that need no model: sizes, exactly one encoding, finite 0/1 values, ranges. */
    public static void validate(PredictRequest r) {
        if (r.getModelName().isBlank()) {
            throw DomainException.invalid("model_name is required");
        }
        String v = r.getVersion();
        io.neurosurrogate.core.model.VersionAliases.validate(v, "version");
        if (r.getBatch() < 1 || r.getBatch() > MAX_BATCH) {
            throw DomainException.invalid("batch must be in [1, " + MAX_BATCH + "], got " + r.getBatch());
        }
        if (r.getSynapses() < 1) {
            throw DomainException.invalid("synapses must be >= 1, got " + r.getSynapses());
        }
        if (r.getTimeMs() < 1 || r.getTimeMs() > MAX_TIME_MS) {
            throw DomainException.invalid("time_ms must be in [1, " + MAX_TIME_MS + "], got " + r.getTimeMs());
        }
        long elements = (long) r.getBatch() * r.getSynapses() * r.getTimeMs();
        if (elements > MAX_ELEMENTS) {
            throw DomainException.invalid("request too large: batch*synapses*time_ms = " + elements + " > " + MAX_ELEMENTS);
        }
        boolean dense = !r.getDenseSpikes().isEmpty();
        boolean sparse = r.getSparseCount() > 0;
        boolean packed = r.hasPacked();
        if ((dense ? 1 : 0) + (sparse ? 1 : 0) + (packed ? 1 : 0) != 1) {
            throw DomainException.invalid("give exactly one of dense_spikes, sparse and packed");
        }
        if (packed) {
            SpikePacking.check(r.getPacked(), r.getBatch(), r.getTimeMs(), r.getSynapses(), "packed");
        } else if (dense) {
            long expected = elements * 4;
            if (r.getDenseSpikes().size() != expected) {
                throw DomainException.invalid("dense_spikes has " + r.getDenseSpikes().size() + " bytes; shape [" + r.getBatch() + ", "
                        + r.getSynapses() + ", " + r.getTimeMs() + "] float32 needs " + expected);
            }
            FloatBuffer fb = r.getDenseSpikes().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0, n = fb.remaining(); i < n; i++) {
                float x = fb.get(i);
                if (x != 0f && x != 1f) {
                    if (Float.isNaN(x) || Float.isInfinite(x)) {
                        throw DomainException.invalid("dense_spikes holds a non-finite value (" + x + ") at element " + i);
                    }
                    throw DomainException.invalid("dense_spikes must hold 0 or 1 (spikes per 1 ms bin), got " + x + " at element " + i);
                }
            }
        } else {
            if (r.getSparseCount() != r.getBatch()) {
                throw DomainException.invalid("sparse has " + r.getSparseCount() + " entries, batch is " + r.getBatch());
            }
            for (int n = 0; n < r.getSparseCount(); n++) {
                for (SynapseSpikes s : r.getSparse(n).getSynapsesList()) {
                    if (s.getSynapse() < 0 || s.getSynapse() >= r.getSynapses()) {
                        throw DomainException.invalid("sparse[" + n + "]: synapse " + s.getSynapse() + " outside [0, " + r.getSynapses() + ")");
                    }
                    for (int b : s.getBinsList()) {
                        if (b < 0 || b >= r.getTimeMs()) {
                            throw DomainException.invalid("sparse[" + n + "]: bin " + b + " outside [0, " + r.getTimeMs() + ")");
                        }
                    }
                }
            }
        }
    }

    /** Checks the request against the model's input width. */
    public static void validateFor(PredictRequest r, int modelSynapses) {
        if (r.getSynapses() != modelSynapses) {
            throw DomainException.invalid("model " + r.getModelName() + " expects " + modelSynapses + " synapses, request has " + r.getSynapses());
        }
    }

    /** The dense float32 input [batch, synapses, time], from either encoding, as a direct buffer. */
    public static FloatBuffer denseInput(PredictRequest r) {
        int syn = r.getSynapses();
        int t = r.getTimeMs();
        long elements = (long) r.getBatch() * syn * t;
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) (elements * 4)).order(ByteOrder.nativeOrder());
        FloatBuffer out = bytes.asFloatBuffer();
        if (!r.getDenseSpikes().isEmpty()) {
            out.put(r.getDenseSpikes().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
        } else if (r.hasPacked()) {
            SpikePacking.Reader reader = new SpikePacking.Reader(r.getPacked(), r.getBatch(), t, syn, "packed");
            for (long k = reader.spikes(); k > 0; k--) {
                int synapse = reader.next();
                int group = reader.group();
                int n = group / t;
                out.put((n * syn + synapse) * t + group % t, 1f);
            }
            reader.finish();
        } else {
            for (int n = 0; n < r.getBatch(); n++) {
                SparseNeuronInput in = r.getSparse(n);
                int base = n * syn * t;
                for (SynapseSpikes s : in.getSynapsesList()) {
                    int row = base + s.getSynapse() * t;
                    for (int i = 0; i < s.getBinsCount(); i++) {
                        out.put(row + s.getBins(i), 1f);
                    }
                }
            }
        }
        out.rewind();
        return out;
    }
}

package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.core.model.VersionAliases;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks each request of a Stream before it is forwarded: the stream's shape (open first and only first)
 * and what needs no model. The inference service checks again, and alone knows the model's synapse count
 * and which sequences are open.
 */
public final class StreamRequests {
    /** As for Predict: "", "latest", "champion" or a positive version number. */
    private static final Pattern VERSION = VersionAliases.PATTERN;

    private final int maxStepsPerRequest;

    public StreamRequests(int maxStepsPerRequest) {
        this.maxStepsPerRequest = maxStepsPerRequest;
    }

    /**
     * @param position the request's place in its stream, 0 for the first
     */
    public void validate(StreamRequest request, long position) {
        StreamRequest.KindCase kind = request.getKindCase();
        if (position == 0 && kind != StreamRequest.KindCase.OPEN) {
            throw invalid(request, position, "the first request of a stream must be open, got " + describe(kind));
        }
        switch (kind) {
            case OPEN -> {
                if (position > 0) {
                    throw invalid(request, position, "a stream is opened only once, by its first request");
                }
                validate(request.getOpen(), request, position);
            }
            case STEP -> validate(request.getStep(), request, position);
            case KIND_NOT_SET -> throw invalid(request, position, "give one of open, start, step, end");
            default -> {
            }
        }
    }

    /** Names the request by its place in the stream and its request_id, so that a caller finds it in either way. */
    private static DomainException invalid(StreamRequest request, long position, String problem) {
        return DomainException.invalid("request " + position + " (request_id " + Long.toUnsignedString(request.getRequestId()) + "): " + problem);
    }

    private static void validate(StreamOpen open, StreamRequest request, long position) {
        if (!TrainingRequests.MODEL_NAME.matcher(open.getModelName()).matches()) {
            throw invalid(request, position, "open.model_name must match " + TrainingRequests.MODEL_NAME.pattern()
                    + ", got '" + open.getModelName() + "'");
        }
        if (!VERSION.matcher(open.getVersion()).matches()) {
            throw invalid(request, position, "open.version must be " + VersionAliases.DESCRIPTION + ", got '" + open.getVersion() + "'");
        }
        if (StreamPrecision.of(open.getPrecision()).isEmpty()) {
            throw invalid(request, position, "open.precision must be " + StreamPrecision.DESCRIPTION + ", got '" + open.getPrecision() + "'");
        }
    }

    private void validate(StreamStep step, StreamRequest request, long position) {
        int steps = step.getSteps();
        if (steps < 1 || steps > maxStepsPerRequest) {
            throw invalid(request, position, "step.steps must be in [1, " + maxStepsPerRequest + "], got " + steps);
        }
        if (step.getInputsCount() != 0 && step.getInputsCount() != step.getSequenceIdsCount()) {
            throw invalid(request, position, "step.inputs has " + step.getInputsCount() + " entries, one per sequence is needed ("
                    + step.getSequenceIdsCount() + " sequence_ids), or none for no input spikes");
        }
        if (step.hasPacked()) {
            if (step.getInputsCount() != 0) {
                throw invalid(request, position, "give step.inputs or step.packed, not both");
            }
            try {
                // the synapse count is the model's, known downstream: only the form is checked here
                SpikePacking.check(step.getPacked(), step.getSequenceIdsCount(), steps, Integer.MAX_VALUE, "step.packed");
            } catch (DomainException e) {
                throw invalid(request, position, e.getMessage());
            }
            return;
        }
        for (int n = 0; n < step.getInputsCount(); n++) {
            SparseNeuronInput input = step.getInputs(n);
            for (int s = 0; s < input.getSynapsesCount(); s++) {
                SynapseSpikes spikes = input.getSynapses(s);
                if (spikes.getSynapse() < 0) {
                    throw invalid(request, position, "step.inputs[" + n + "].synapses[" + s + "].synapse must be >= 0, got " + spikes.getSynapse());
                }
                for (int b = 0; b < spikes.getBinsCount(); b++) {
                    int bin = spikes.getBins(b);
                    if (bin < 0 || bin >= steps) {
                        throw invalid(request, position, "step.inputs[" + n + "].synapses[" + s + "].bins[" + b + "] must be in [0, " + steps + ") (relative to the request's first step), got " + bin);
                    }
                }
            }
        }
    }

    private static String describe(StreamRequest.KindCase kind) {
        return kind == StreamRequest.KindCase.KIND_NOT_SET ? "a request with no kind" : kind.name().toLowerCase(Locale.ROOT);
    }
}

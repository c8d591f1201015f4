package io.neurosurrogate.gateway.oip;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.proto.oip.InferParameter;

import java.util.Map;

/**
 * The sequence parameters of an inference request, as Triton's sequence batcher names them: {@code sequence_id}
 * (a non-zero integer or a non-empty string) names a stateful neuron, {@code sequence_start} gives it fresh state,
 * {@code sequence_end} forgets it after this request. Without {@code sequence_id} the request is stateless.
 *
 * @param key the sequence's identity ("#42" for an integer id, "'abc'" for a string id), null without one
 */
public record SequenceControl(String key, boolean start, boolean end) {
    public static final String SEQUENCE_ID = "sequence_id";
    public static final String SEQUENCE_START = "sequence_start";
    public static final String SEQUENCE_END = "sequence_end";
    public static final String EVENT_DRIVEN = "event_driven";
    public static final String PRECISION = "precision";

    public static SequenceControl of(Map<String, InferParameter> parameters) {
        InferParameter id = parameters.get(SEQUENCE_ID);
        boolean start = flag(parameters, SEQUENCE_START);
        boolean end = flag(parameters, SEQUENCE_END);
        if (id == null) {
            if (start || end) {
                throw DomainException.invalid("sequence_start/sequence_end need a sequence_id");
            }
            return new SequenceControl(null, false, false);
        }
        String key = switch (id.getParameterChoiceCase()) {
            case INT64_PARAM -> id.getInt64Param() == 0 ? null : "#" + id.getInt64Param();
            case UINT64_PARAM -> id.getUint64Param() == 0 ? null : "#" + Long.toUnsignedString(id.getUint64Param());
            case STRING_PARAM -> id.getStringParam().isEmpty() ? null : "'" + id.getStringParam() + "'";
            default -> throw DomainException.invalid("sequence_id must be an int64, uint64 or string parameter, not "
                    + id.getParameterChoiceCase());
        };
        if (key == null) {
            throw DomainException.invalid("sequence_id must not be 0 or empty");
        }
        return new SequenceControl(key, start, end);
    }

    /**
     * The parameter {@code event_driven} (bool, default false): run the sequence's first layer event by event
     * (StreamOpen.event_driven: same outputs, cheaper for sparse input; FAILED_PRECONDITION without an events graph).
     */
    public static boolean eventDriven(Map<String, InferParameter> parameters) {
        return flag(parameters, EVENT_DRIVEN);
    }

    /**
     * The parameter {@code precision} (string, default "fp32"): "int8" runs the sequence's conv layers as int8
     * products (StreamOpen.precision: faster, approximate; FAILED_PRECONDITION without an int8 form).
     */
    public static String precision(Map<String, InferParameter> parameters) {
        InferParameter p = parameters.get(PRECISION);
        if (p == null) {
            return "fp32";
        }
        if (p.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM || p.getStringParam().isEmpty()
                || StreamPrecision.of(p.getStringParam()).isEmpty()) {
            throw DomainException.invalid(PRECISION + " must be the string parameter 'fp32' or 'int8', got "
                    + (p.getParameterChoiceCase() == InferParameter.ParameterChoiceCase.STRING_PARAM ? "'" + p.getStringParam() + "'"
                    : p.getParameterChoiceCase().toString()));
        }
        return p.getStringParam();
    }

    public boolean present() {
        return key != null;
    }


    private static boolean flag(Map<String, InferParameter> parameters, String name) {
        InferParameter p = parameters.get(name);
        if (p == null) {
            return false;
        }
        if (p.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.BOOL_PARAM) {
            throw DomainException.invalid(name + " must be a bool parameter, not " + p.getParameterChoiceCase());
        }
        return p.getBoolParam();
    }
}

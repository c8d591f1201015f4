package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.proto.v1.SimulateRequest;

import java.util.List;
import java.util.Set;

/** Checks campaign and single-simulation requests before they reach the simulator. */
public final class CampaignRequests {
    public static final int MAX_COUNT = 100_000;
    public static final int MIN_DURATION_MS = 100;
    public static final int MAX_DURATION_MS = 600_000;
    public static final int MAX_SIMULATE_DURATION_MS = 60_000;
    public static final int MIN_CHUNK_MS = 10;
    public static final int MAX_CHUNK_MS = 60_000;

    /** Input-statistics fields that are offsets and may be negative (inh = exc + U[inh_delta_min, inh_delta_max]). */
    private static final Set<String> SIGNED_INPUT_FIELDS = Set.of("input.inh_delta_min", "input.inh_delta_max");

    private static final java.util.regex.Pattern MORPHOLOGY_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final List<String> knownNeuronModels;

    public CampaignRequests(List<String> knownNeuronModels) {
        this.knownNeuronModels = List.copyOf(knownNeuronModels);
    }

    public void validate(CampaignSpec spec) {
        requireKnownNeuronModel(spec.getNeuronModel());
        requireKnownEngine(spec.getEngine());
        if (spec.getCount() < 1 || spec.getCount() > MAX_COUNT) {
            String what = spec.getCount() == 0 ? "empty campaign: " : "";
            throw DomainException.invalid(what + "count must be in [1, " + MAX_COUNT + "], got " + spec.getCount());
        }
        int duration = spec.getDurationMs();
        if (duration != 0 && (duration < MIN_DURATION_MS || duration > MAX_DURATION_MS)) {
            throw DomainException.invalid("duration_ms must be 0 (default) or in [" + MIN_DURATION_MS + ", " + MAX_DURATION_MS
                    + "], got " + duration);
        }
        int chunk = spec.getChunkMs();
        if (chunk != 0 && (chunk < MIN_CHUNK_MS || chunk > MAX_CHUNK_MS)) {
            throw DomainException.invalid("chunk_ms must be 0 (default) or in [" + MIN_CHUNK_MS + ", " + MAX_CHUNK_MS + "], got " + chunk);
        }
        if (spec.getWorkers() < 0) {
            throw DomainException.invalid("workers must be >= 0 (0 = service default), got " + spec.getWorkers());
        }
        validateInput(spec.hasInput(), spec.getInput());
    }

    public void validate(SimulateRequest request) {
        requireKnownNeuronModel(request.getNeuronModel());
        requireKnownEngine(request.getEngine());
        int duration = request.getDurationMs();
        if (duration < 0 || duration > MAX_SIMULATE_DURATION_MS) {
            throw DomainException.invalid("duration_ms must be in [0, " + MAX_SIMULATE_DURATION_MS + "] (0 = default), got " + duration);
        }
        validateInput(request.hasInput(), request.getInput());
    }

    public void validate(GetCampaignRequest request) {
        if (request.getCampaignId().isBlank()) {
            throw DomainException.invalid("campaign_id is required");
        }
    }

    private void requireKnownNeuronModel(String neuronModel) {
        if (neuronModel.isBlank()) {
            throw DomainException.invalid("neuron_model is required (known: " + String.join(", ", knownNeuronModels) + ")");
        }
        if (!knownNeuronModels.contains(neuronModel) && !isMorphologyVariant(neuronModel)) {
            throw DomainException.invalid("neuron_model '" + neuronModel + "' is unknown (known: " + String.join(", ", knownNeuronModels) + ")");
        }
    }

    /**
     * "&lt;model&gt;:&lt;morphology&gt;" runs a known model on a morphology file installed on the simulator
     * (which says NOT_FOUND / INVALID_ARGUMENT if it has no such file).
     */
    private boolean isMorphologyVariant(String neuronModel) {
        int colon = neuronModel.indexOf(':');
        return colon > 0 && knownNeuronModels.contains(neuronModel.substring(0, colon))
                && MORPHOLOGY_NAME.matcher(neuronModel.substring(colon + 1)).matches();
    }

    private static void requireKnownEngine(String engine) {
        if (!engine.isEmpty() && !engine.equals("java") && !engine.equals("neuron")) {
            throw DomainException.invalid("engine must be empty (java), 'java' or 'neuron', got '" + engine + "'");
        }
    }

    private static void validateInput(boolean present, InputStatistics input) {
        if (!present) {
            return;
        }
        NumericFields.requireFiniteAndNonNegative(input, "input", SIGNED_INPUT_FIELDS);
        requireOrdered("input.hold_ms", input.getHoldMsMin(), input.getHoldMsMax());
        requireOrdered("input.smoothing_sigma_ms", input.getSmoothingSigmaMsMin(), input.getSmoothingSigmaMsMax());
        requireOrdered("input.inh_delta", input.getInhDeltaMin(), input.getInhDeltaMax());
    }

    /** A range given by the caller must not be inverted; 0 on either side means "model default". */
    private static void requireOrdered(String name, double min, double max) {
        if (min != 0 && max != 0 && min > max) {
            throw DomainException.invalid(name + "_min (" + min + ") must not exceed " + name + "_max (" + max + ")");
        }
    }
}

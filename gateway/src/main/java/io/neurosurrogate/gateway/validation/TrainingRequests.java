package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;

import java.util.Set;
import java.util.regex.Pattern;

/** Checks training jobs, dataset look-ups and artifact downloads before they reach the trainer. */
public final class TrainingRequests {
    /** Model names become directory names in the trainer's model store ({@code <model>/<version>/model.onnx}). */
    public static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Report files lie beside model.onnx in the trainer's model store: plain file names, never a path. */
    public static final Pattern REPORT_FILE = Pattern.compile("[a-z0-9_.-]{1,128}");
    private static final Set<String> OPTIMIZERS = Set.of("", "nadam", "adam");
    private static final Set<String> ACTIVATIONS = Set.of("", "identity", "relu", "tanh", "sigmoid");
    /** The spike head's bias starts negative (-2.5 in Beniaguev et al. 2021): output spikes are rare. */
    private static final Set<String> SIGNED_FIELDS = Set.of("architecture.spike_bias_init");

    public void validate(TrainingJobSpec spec) {
        if (!MODEL_NAME.matcher(spec.getModelName()).matches()) {
            throw DomainException.invalid("model_name must match " + MODEL_NAME.pattern() + ", got '" + spec.getModelName() + "'");
        }
        if (spec.getNeuronModel().isBlank()) {
            throw DomainException.invalid("neuron_model is required (it selects the dataset)");
        }
        NumericFields.requireFiniteAndNonNegative(spec, "", SIGNED_FIELDS);
        TrainingConfig config = spec.getConfig();
        if (!OPTIMIZERS.contains(config.getOptimizer())) {
            throw DomainException.invalid("config.optimizer must be 'nadam' or 'adam' (or empty), got '" + config.getOptimizer() + "'");
        }
        if (config.getValidationFraction() + config.getTestFraction() >= 1) {
            throw DomainException.invalid("config.validation_fraction + config.test_fraction must be < 1, got "
                    + config.getValidationFraction() + " + " + config.getTestFraction());
        }
        for (int i = 0; i < spec.getArchitecture().getLayersCount(); i++) {
            ConvLayer layer = spec.getArchitecture().getLayers(i);
            String name = "architecture.layers[" + i + "]";
            if (layer.getFilters() < 1) {
                throw DomainException.invalid(name + ".filters must be >= 1, got " + layer.getFilters());
            }
            if (layer.getKernelMs() < 1) {
                throw DomainException.invalid(name + ".kernel_ms must be >= 1, got " + layer.getKernelMs());
            }
            if (!ACTIVATIONS.contains(layer.getActivation())) {
                throw DomainException.invalid(name + ".activation must be one of identity, relu, tanh, sigmoid (or empty), got '"
                        + layer.getActivation() + "'");
            }
        }
    }

    public void validate(GetTrainingJobRequest request) {
        if (request.getJobId().isBlank()) {
            throw DomainException.invalid("job_id is required");
        }
    }

    /** {@code file} empty means model.onnx; otherwise a report file name such as metrics.json. */
    public void validate(FetchArtifactRequest request) {
        if (!MODEL_NAME.matcher(request.getModelName()).matches()) {
            throw DomainException.invalid("model_name must match " + MODEL_NAME.pattern() + ", got '" + request.getModelName() + "'");
        }
        if (request.getVersion() < 0) {
            throw DomainException.invalid("version must be >= 0 (0 = the newest), got " + request.getVersion());
        }
        String file = request.getFile();
        // "." names the version's directory itself; the trainer's model store refuses it as a report file name too
        if (!file.isEmpty() && (!REPORT_FILE.matcher(file).matches() || file.equals(".") || file.contains(".."))) {
            throw DomainException.invalid("file must be empty (the ONNX model) or a report file name matching " + REPORT_FILE.pattern()
                    + ", not '.' and without '..', such as metrics.json; got '" + file + "'");
        }
    }

    public void validate(DatasetRequest request) {
        if (request.getNeuronModel().isBlank()) {
            throw DomainException.invalid("neuron_model is required");
        }
    }
}

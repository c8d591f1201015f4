package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rejects a {@link TrainingJobSpec} before it is queued, naming every problem at once so a caller
 * can fix the spec in one round trip. Value ranges the trainer owns (presets, optimizers) are left
 * to it; here only what is wrong for any trainer.
 */
public final class TrainingJobSpecValidator {
    static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private TrainingJobSpecValidator() {
    }

    /** @throws DomainException INVALID_ARGUMENT listing the problems */
    public static void validate(TrainingJobSpec spec) {
        List<String> problems = new ArrayList<>();
        if (!MODEL_NAME.matcher(spec.getModelName()).matches()) {
            problems.add("model_name must match [a-z0-9][a-z0-9._-]{0,62}, got '" + spec.getModelName() + "'");
        }
        if (spec.getNeuronModel().isBlank()) {
            problems.add("neuron_model is required");
        }
        if (spec.getMinSimulations() < 0) {
            problems.add("min_simulations must be >= 0, got " + spec.getMinSimulations());
        }
        if (spec.getWaitTimeoutS() < 0) {
            problems.add("wait_timeout_s must be >= 0, got " + spec.getWaitTimeoutS());
        }
        TrainingConfig c = spec.getConfig();
        nonNegative(problems, "config.epochs", c.getEpochs());
        nonNegative(problems, "config.batch_size", c.getBatchSize());
        nonNegative(problems, "config.window_ms", c.getWindowMs());
        nonNegative(problems, "config.learning_rate", c.getLearningRate());
        nonNegative(problems, "config.voltage_loss_weight", c.getVoltageLossWeight());
        nonNegative(problems, "config.windows_per_epoch", c.getWindowsPerEpoch());
        nonNegative(problems, "config.skip_initial_ms", c.getSkipInitialMs());
        nonNegative(problems, "config.validation_fraction", c.getValidationFraction());
        nonNegative(problems, "config.test_fraction", c.getTestFraction());
        nonNegative(problems, "config.early_stopping_patience", c.getEarlyStoppingPatience());
        if (c.getValidationFraction() + c.getTestFraction() >= 1.0) {
            problems.add("config.validation_fraction + config.test_fraction must be < 1, got "
                    + (c.getValidationFraction() + c.getTestFraction()));
        }
        if (!Double.isFinite(spec.getArchitecture().getSpikeBiasInit())) {
            problems.add("architecture.spike_bias_init must be finite");
        }
        for (int i = 0; i < spec.getArchitecture().getLayersCount(); i++) {
            ConvLayer l = spec.getArchitecture().getLayers(i);
            String at = "architecture.layers[" + i + "].";
            if (l.getFilters() < 1) {
                problems.add(at + "filters must be >= 1, got " + l.getFilters());
            }
            if (l.getKernelMs() < 1) {
                problems.add(at + "kernel_ms must be >= 1, got " + l.getKernelMs());
            }
            nonNegative(problems, at + "dilation", l.getDilation());
        }
        if (!problems.isEmpty()) {
            throw DomainException.invalid("invalid training job spec: " + String.join("; ", problems));
        }
    }

    private static void nonNegative(List<String> problems, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            problems.add(field + " must be a non-negative number, got " + value);
        }
    }
}

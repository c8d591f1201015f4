package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingJobSpecValidatorTest {
    private static final TrainingJobSpec VALID = TrainingJobSpec.newBuilder()
            .setModelName("iaf-small.v1_a").setNeuronModel("iaf")
            .setArchitecture(Architecture.newBuilder().setPreset("iaf-1x1"))
            .setConfig(TrainingConfig.newBuilder().setEpochs(2).setValidationFraction(0.2).setTestFraction(0.2))
            .build();

    private static void assertRejected(TrainingJobSpec spec, String... reasons) {
        assertThatThrownBy(() -> TrainingJobSpecValidator.validate(spec))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContainingAll(reasons);
    }

    @Test
    void acceptsAMinimalSpec() {
        assertThatCode(() -> TrainingJobSpecValidator.validate(VALID)).doesNotThrowAnyException();
        assertThatCode(() -> TrainingJobSpecValidator.validate(TrainingJobSpec.newBuilder().setModelName("m").setNeuronModel("iaf").build()))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsBadModelNames() {
        assertRejected(VALID.toBuilder().setModelName("").build(), "model_name");
        assertRejected(VALID.toBuilder().setModelName("Upper").build(), "model_name");
        assertRejected(VALID.toBuilder().setModelName("-dash").build(), "model_name");
        assertRejected(VALID.toBuilder().setModelName("a/b").build(), "model_name");
        assertRejected(VALID.toBuilder().setModelName("a".repeat(64)).build(), "model_name");
    }

    @Test
    void namesEveryProblemAtOnce() {
        TrainingJobSpec bad = VALID.toBuilder().setNeuronModel("").setMinSimulations(-1).setWaitTimeoutS(-5)
                .setConfig(TrainingConfig.newBuilder().setEpochs(-1).setLearningRate(Double.NaN).setBatchSize(-2)).build();
        assertRejected(bad, "neuron_model is required", "min_simulations", "wait_timeout_s", "config.epochs",
                "config.learning_rate", "config.batch_size");
    }

    @Test
    void rejectsSplitFractionsThatLeaveNoTrainingData() {
        assertRejected(VALID.toBuilder().setConfig(TrainingConfig.newBuilder().setValidationFraction(0.5).setTestFraction(0.5)).build(),
                "validation_fraction + config.test_fraction must be < 1");
    }

    @Test
    void rejectsLayersWithoutFiltersOrKernel() {
        assertRejected(VALID.toBuilder().setArchitecture(Architecture.newBuilder().addLayers(ConvLayer.newBuilder().setKernelMs(0))).build(),
                "layers[0].filters", "layers[0].kernel_ms");
    }
}

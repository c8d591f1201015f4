package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingRequestsTest {
    private final TrainingRequests requests = new TrainingRequests();
    private final TrainingJobSpec paperIaf = TrainingJobSpec.newBuilder().setModelName("iaf-1x1").setNeuronModel("iaf")
            .setArchitecture(Architecture.newBuilder().setPreset("iaf-1x1").setSpikeBiasInit(-2.5))
            .setConfig(TrainingConfig.newBuilder().setEpochs(10).setBatchSize(16).setWindowMs(500).setLearningRate(3e-4)
                    .setOptimizer("nadam").setVoltageLossWeight(0.003).setSeed(-1L).setValidationFraction(0.1).setTestFraction(0.1))
            .build();

    @Test
    void acceptsThePapersIafSetupIncludingItsNegativeSpikeBias() {
        assertThatCode(() -> requests.validate(paperIaf)).doesNotThrowAnyException();
    }

    @Test
    void modelNamesAreSafeDirectoryNames() {
        assertThatCode(() -> requests.validate(paperIaf.toBuilder().setModelName("a" + "b".repeat(62)).build())).doesNotThrowAnyException();
        for (String bad : new String[]{"", "-iaf", "IAF", "a/b", "..", "a b", "a" + "b".repeat(63)}) {
            assertInvalid(paperIaf.toBuilder().setModelName(bad).build(), "model_name must match");
        }
    }

    @Test
    void refusesNegativeOrNonFiniteNumbersNamingTheField() {
        assertInvalid(paperIaf.toBuilder().setNeuronModel("").build(), "neuron_model is required");
        assertInvalid(paperIaf.toBuilder().setMinSimulations(-1).build(), "min_simulations must be >= 0");
        assertInvalid(paperIaf.toBuilder().setWaitTimeoutS(-3).build(), "wait_timeout_s must be >= 0");
        assertInvalid(paperIaf.toBuilder().setConfig(paperIaf.getConfig().toBuilder().setEpochs(-1)).build(), "config.epochs must be >= 0");
        assertInvalid(paperIaf.toBuilder().setConfig(paperIaf.getConfig().toBuilder().setLearningRate(Double.POSITIVE_INFINITY)).build(),
                "config.learning_rate must be a finite number");
        assertInvalid(paperIaf.toBuilder().setArchitecture(paperIaf.getArchitecture().toBuilder().setSpikeBiasInit(Double.NaN)).build(),
                "architecture.spike_bias_init must be a finite number");
        assertInvalid(paperIaf.toBuilder().setArchitecture(paperIaf.getArchitecture().toBuilder()
                .addLayers(ConvLayer.newBuilder().setFilters(1).setKernelMs(80)).addLayers(ConvLayer.newBuilder().setFilters(4).setKernelMs(5).setDilation(-2)))
                .build(), "architecture.layers[1].dilation must be >= 0");
    }

    @Test
    void refusesUnknownOptimizersActivationsAndImpossibleSplits() {
        assertInvalid(paperIaf.toBuilder().setConfig(paperIaf.getConfig().toBuilder().setOptimizer("sgd")).build(), "config.optimizer");
        assertInvalid(paperIaf.toBuilder().setArchitecture(Architecture.newBuilder()
                .addLayers(ConvLayer.newBuilder().setFilters(1).setKernelMs(80).setActivation("gelu"))).build(), "architecture.layers[0].activation");
        assertInvalid(paperIaf.toBuilder().setArchitecture(Architecture.newBuilder().addLayers(ConvLayer.newBuilder().setKernelMs(80))).build(),
                "architecture.layers[0].filters");
        assertInvalid(paperIaf.toBuilder().setConfig(paperIaf.getConfig().toBuilder().setValidationFraction(0.5).setTestFraction(0.5)).build(),
                "validation_fraction + config.test_fraction must be < 1");
    }

    @Test
    void aDatasetLookUpNeedsANeuronModel() {
        assertThatThrownBy(() -> requests.validate(DatasetRequest.newBuilder().setCampaignId("c-1").build())).hasMessageContaining("neuron_model");
        assertThatCode(() -> requests.validate(DatasetRequest.newBuilder().setNeuronModel("iaf").build())).doesNotThrowAnyException();
    }

    @Test
    void aJobIdIsRequiredToGetWatchOrCancelAJob() {
        for (String blank : new String[]{"", " ", "\t"}) {
            assertThatThrownBy(() -> requests.validate(GetTrainingJobRequest.newBuilder().setJobId(blank).build()))
                    .isInstanceOfSatisfying(DomainException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                            .isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                    .hasMessageContaining("job_id is required");
        }
        assertThatCode(() -> requests.validate(GetTrainingJobRequest.newBuilder().setJobId("job-1").build())).doesNotThrowAnyException();
    }

    @Test
    void anArtifactIsTheModelOrAReportFileNamedWithoutAPath() {
        FetchArtifactRequest model = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(3).build();
        for (String good : new String[]{"", "metrics.json", "roc_ood.png", "soma-voltage.v2.png", "a".repeat(128)}) {
            assertThatCode(() -> requests.validate(model.toBuilder().setFile(good).build())).as(good).doesNotThrowAnyException();
        }
        for (String bad : new String[]{"../x", "a/b", "/etc/passwd", "a\\b", "..", ".", "Metrics.json", "ROC.PNG", "metrics json",
                "a".repeat(129)}) {
            assertInvalid(model.toBuilder().setFile(bad).build(), "file must be empty (the ONNX model) or a report file name");
        }
    }

    @Test
    void anArtifactNeedsAValidModelNameAndANonNegativeVersion() {
        FetchArtifactRequest newest = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(0).build();
        assertThatCode(() -> requests.validate(newest)).doesNotThrowAnyException();
        assertInvalid(newest.toBuilder().setVersion(-1).build(), "version must be >= 0 (0 = the newest), got -1");
        assertInvalid(newest.toBuilder().setVersion(Integer.MIN_VALUE).build(), "version must be >= 0");
        assertInvalid(newest.toBuilder().setModelName("../iaf").build(), "model_name must match");
        assertInvalid(newest.toBuilder().setModelName("").build(), "model_name must match");
    }

    private void assertInvalid(FetchArtifactRequest request, String message) {
        assertThatThrownBy(() -> requests.validate(request)).as(request.toString())
                .isInstanceOfSatisfying(DomainException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                        .isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }

    private void assertInvalid(TrainingJobSpec spec, String message) {
        assertThatThrownBy(() -> requests.validate(spec))
                .isInstanceOfSatisfying(DomainException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                        .isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}

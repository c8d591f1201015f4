package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The L5PC optimiser and schedule defaults follow the neuron as well as the preset. */
class L5pcTrainingDefaultsTest {
    private static final SurrogateArchitecture CUSTOM = SurrogateArchitecture.resolve(Architecture.newBuilder()
            .addLayers(ConvLayer.newBuilder().setFilters(16).setKernelMs(43).setActivation("relu")).build());

    @Test
    void customLayersOnAnL5pcNeuronGetTheL5pcDefaults() {
        assertThat(CUSTOM.name()).isEqualTo("custom");
        TrainingConfig c = Dl4jSurrogateTrainer.withArchitectureDefaults(TrainingConfig.getDefaultInstance(), CUSTOM, "l5pc-ampa");
        assertThat(c.getOptimizer()).isEqualTo("adam");
        assertThat(c.getLearningRate()).isEqualTo(1e-4);
        assertThat(c.getSchedule()).isEqualTo("paper");
        assertThat(TrainingSettings.from(c).learningRate()).isEqualTo(1e-4);
    }

    @Test
    void anL5pcPresetGetsThemOnAnyNeuron() {
        SurrogateArchitecture preset = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").build());
        TrainingConfig c = Dl4jSurrogateTrainer.withArchitectureDefaults(TrainingConfig.getDefaultInstance(), preset, "my-cell");
        assertThat(c.getOptimizer()).isEqualTo("adam");
        assertThat(c.getSchedule()).isEqualTo("paper");
    }

    @Test
    void iafNetsKeepTheirOwnAndExplicitValuesWin() {
        assertThat(Dl4jSurrogateTrainer.withArchitectureDefaults(TrainingConfig.getDefaultInstance(), CUSTOM, "iaf"))
                .isEqualTo(TrainingConfig.getDefaultInstance());
        TrainingConfig explicit = TrainingConfig.newBuilder().setOptimizer("nadam").setLearningRate(3e-3).setSchedule("constant").build();
        assertThat(Dl4jSurrogateTrainer.withArchitectureDefaults(explicit, CUSTOM, "l5pc-nmda")).isEqualTo(explicit);
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurrogateArchitectureTest {

    @Test
    void iafPresetIsOneIdentityConvWithOneFilterAnd80msKernel() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-1x1").build());
        assertThat(a.layers()).containsExactly(new ConvSpec(1, 80, 1, "identity"));
        assertThat(a.receptiveFieldMs()).isEqualTo(80);
        assertThat(a.spikeBiasFromData()).as("no spike_bias_init: the bias comes from the data").isTrue();
    }

    @Test
    void iafResetPresetIsTheSameConvWithTanh() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-reset").build());
        assertThat(a.name()).isEqualTo(SurrogateArchitecture.IAF_RESET);
        assertThat(a.layers()).containsExactly(new ConvSpec(1, 80, 1, "tanh"));
        assertThat(a.receptiveFieldMs()).isEqualTo(80);
    }

    @Test
    void dendriticHeadIsOffByDefaultAndAddsALinearNexusHeadWhenRequested() {
        SurrogateArchitecture plain = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").build());
        SurrogateArchitecture headed = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").setDendriticHead(true).build());
        assertThat(plain.dendriticHead()).isFalse();
        assertThat(plain.dendriteChannels()).isZero();
        assertThat(plain.describe()).contains("heads [sigmoid spike, linear soma];").doesNotContain("nexus");
        assertThat(headed.dendriticHead()).isTrue();
        assertThat(headed.dendriteChannels()).isEqualTo(1);
        assertThat(headed.describe()).contains("heads [sigmoid spike, linear soma, linear nexus];");
        assertThat(headed.multiplyAddsPerBin(1278) - plain.multiplyAddsPerBin(1278)).as("one more 1x1 head on 32 channels").isEqualTo(32);
        assertThat(headed.layers()).isEqualTo(plain.layers());
    }

    @Test
    void emptyArchitectureMeansIafPreset() {
        assertThat(SurrogateArchitecture.resolve(Architecture.getDefaultInstance()).name()).isEqualTo("iaf-1x1");
    }

    @Test
    void explicitLayersOverrideThePresetAndSetTheReceptiveField() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-1x1")
                .addLayers(ConvLayer.newBuilder().setFilters(4).setKernelMs(10))
                .addLayers(ConvLayer.newBuilder().setFilters(2).setKernelMs(5).setDilation(3).setActivation("tanh"))
                .setSpikeBiasInit(-3).build());
        assertThat(a.layers()).containsExactly(new ConvSpec(4, 10, 1, "relu"), new ConvSpec(2, 5, 3, "tanh"));
        assertThat(a.receptiveFieldMs()).isEqualTo(1 + 9 + 12);
        assertThat(a.spikeBiasInit()).isEqualTo(-3);
        assertThat(a.spikeBiasFromData()).isFalse();
    }

    @Test
    void unknownPresetIsInvalidArgumentNamingTheKnownOnes() {
        assertThatThrownBy(() -> SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("resnet-50").build()))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("resnet-50").hasMessageContaining("iaf-1x1").hasMessageContaining("tcn-fast");
    }

    @Test
    void unknownActivationIsInvalidArgument() {
        assertThatThrownBy(() -> SurrogateArchitecture.resolve(Architecture.newBuilder()
                .addLayers(ConvLayer.newBuilder().setFilters(1).setKernelMs(3).setActivation("swish")).build()))
                .isInstanceOf(DomainException.class).hasMessageContaining("swish");
    }

    @Test
    void paperL5pcPresetsHaveThePapersWidthsDepthsAndReceptiveFields() {
        SurrogateArchitecture ampa = resolve("l5pc-ampa-1x128");
        assertThat(ampa.layers()).containsExactly(new ConvSpec(128, 43, 1, "relu", false, false));
        assertThat(ampa.receptiveFieldMs()).isEqualTo(43);
        SurrogateArchitecture nmda = resolve("l5pc-nmda-7x128");
        assertThat(nmda.layers()).hasSize(7).allSatisfy(l -> {
            assertThat(l.filters()).isEqualTo(128);
            assertThat(l.activation()).isEqualTo("relu");
        });
        assertThat(nmda.layers().get(0).kernelMs()).as("first layer wider").isGreaterThan(nmda.layers().get(1).kernelMs());
        assertThat(nmda.receptiveFieldMs()).isEqualTo(153);
        assertThat(resolve("l5pc-ampa-4x64").layers()).hasSize(4).allSatisfy(l -> assertThat(l.filters()).isEqualTo(64));
        assertThat(resolve("l5pc-ampa-4x64").receptiveFieldMs()).isEqualTo(43);
        assertThat(resolve("l5pc-ampa-fast").receptiveFieldMs()).isEqualTo(43);
        assertThat(resolve("l5pc-nmda-fast").receptiveFieldMs()).isEqualTo(153);
        assertThat(ampa.defaultSchedule()).isEqualTo("paper");
        assertThat(resolve("iaf-1x1").defaultSchedule()).isEqualTo("constant");
    }

    @Test
    void residualFlagAppliesWhereTheWidthIsKeptAndIsRefusedWhereItChanges() {
        SurrogateArchitecture nmda = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-nmda-7x128").setResidual(true).build());
        assertThat(nmda.layers().get(0).residual()).isFalse();
        assertThat(nmda.layers().subList(1, 7)).allSatisfy(l -> assertThat(l.residual()).isTrue());
        assertThatThrownBy(() -> SurrogateArchitecture.resolve(Architecture.newBuilder()
                .addLayers(ConvLayer.newBuilder().setFilters(8).setKernelMs(3))
                .addLayers(ConvLayer.newBuilder().setFilters(4).setKernelMs(3).setResidual(true)).build()))
                .isInstanceOf(DomainException.class).hasMessageContaining("residual").hasMessageContaining("8 -> 4");
    }

    @Test
    void firstLayerModeIsParsedAndBadOnesRefused() {
        assertThat(SurrogateArchitecture.resolve(Architecture.newBuilder().setFirstLayer("dense").build()).firstLayer())
                .isEqualTo(SurrogateArchitecture.FirstLayer.DENSE);
        assertThat(SurrogateNetwork.mixingRank(SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-1x128")
                .setFirstLayer("dense").build()), 1278)).isZero();
        assertThat(SurrogateNetwork.mixingRank(SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-1x128")
                .build()), 1278)).isEqualTo(128);
        assertThatThrownBy(() -> SurrogateArchitecture.resolve(Architecture.newBuilder().setFirstLayer("sparse").build()))
                .isInstanceOf(DomainException.class).hasMessageContaining("first_layer");
    }

    @Test
    void paperScheduleStepsLossWeightsUpAndLearningRateDownOverTheEpochs() {
        TrainingSchedule s = TrainingSchedule.paper(1e-3, 0.02, 8);
        assertThat(s.phases()).extracting(TrainingSchedule.Phase::startEpoch).containsExactly(1, 3, 5, 7);
        assertThat(s.phaseAt(1).spikeLossWeight()).isEqualTo(1);
        assertThat(s.phaseAt(4).spikeLossWeight()).isEqualTo(2);
        assertThat(s.phaseAt(8).spikeLossWeight()).isEqualTo(8);
        assertThat(s.phaseAt(8).voltageLossWeight()).isEqualTo(0.01);
        assertThat(s.phaseAt(6).learningRate()).isEqualTo(3e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.learningRates(1).valueAt(0, 6)).isEqualTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(TrainingSchedule.paper(1e-3, 0.02, 2).phases()).extracting(TrainingSchedule.Phase::startEpoch).containsExactly(1, 2);
    }

    private static SurrogateArchitecture resolve(String preset) {
        return SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset(preset).build());
    }
}

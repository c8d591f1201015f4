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
        assertThat(a.spikeBiasInit()).isEqualTo(-2.5);
    }

    @Test
    void iafResetPresetIsTheSameConvWithTanh() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-reset").build());
        assertThat(a.name()).isEqualTo(SurrogateArchitecture.IAF_RESET);
        assertThat(a.layers()).containsExactly(new ConvSpec(1, 80, 1, "tanh"));
        assertThat(a.receptiveFieldMs()).isEqualTo(80);
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
}

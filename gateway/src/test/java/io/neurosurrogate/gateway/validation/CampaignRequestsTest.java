package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.proto.v1.SimulateRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CampaignRequestsTest {
    private final CampaignRequests requests = new CampaignRequests(List.of("iaf", "l5pc-nmda"));
    private final CampaignSpec valid = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(10).build();

    @Test
    void acceptsDefaultsAndTheBoundsOfEveryRange() {
        assertThatCode(() -> requests.validate(valid)).doesNotThrowAnyException();
        assertThatCode(() -> requests.validate(valid.toBuilder().setNeuronModel("l5pc-nmda").setCount(100_000).setDurationMs(600_000)
                .setChunkMs(60_000).setWorkers(8).build())).doesNotThrowAnyException();
        assertThatCode(() -> requests.validate(valid.toBuilder().setCount(1).setDurationMs(100).setChunkMs(10).build()))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesEachOutOfRangeFieldByName() {
        assertInvalid(valid.toBuilder().setNeuronModel("").build(), "neuron_model is required");
        assertInvalid(valid.toBuilder().setNeuronModel("IAF").build(), "neuron_model 'IAF' is unknown");
        assertInvalid(valid.toBuilder().setCount(0).build(), "empty campaign: count");
        assertInvalid(valid.toBuilder().setCount(100_001).build(), "count must be in [1, 100000]");
        assertInvalid(valid.toBuilder().setCount(-5).build(), "count must be in [1, 100000]");
        assertInvalid(valid.toBuilder().setDurationMs(99).build(), "duration_ms");
        assertInvalid(valid.toBuilder().setDurationMs(600_001).build(), "duration_ms");
        assertInvalid(valid.toBuilder().setChunkMs(9).build(), "chunk_ms");
        assertInvalid(valid.toBuilder().setChunkMs(60_001).build(), "chunk_ms");
        assertInvalid(valid.toBuilder().setWorkers(-1).build(), "workers");
    }

    @Test
    void refusesNonFiniteOrNegativeInputStatisticsButAllowsNegativeInhibitionOffsets() {
        InputStatistics paperDefaults = InputStatistics.newBuilder().setExcPer100MsMax(50).setInhDeltaMin(-50).setInhDeltaMax(-15)
                .setHoldMsMin(25).setHoldMsMax(100).setSmoothingSigmaMsMin(40).setSmoothingSigmaMsMax(100).build();
        assertThatCode(() -> requests.validate(valid.toBuilder().setInput(paperDefaults).build())).doesNotThrowAnyException();

        assertInvalid(valid.toBuilder().setInput(paperDefaults.toBuilder().setExcPer100MsMax(Double.NaN)).build(), "input.exc_per_100ms_max must be a finite");
        assertInvalid(valid.toBuilder().setInput(paperDefaults.toBuilder().setHoldMsMin(-1)).build(), "input.hold_ms_min must be >= 0");
        assertInvalid(valid.toBuilder().setInput(paperDefaults.toBuilder().setInhDeltaMin(Double.NEGATIVE_INFINITY)).build(), "input.inh_delta_min");
        assertInvalid(valid.toBuilder().setInput(paperDefaults.toBuilder().setHoldMsMin(200)).build(), "input.hold_ms_min (200.0) must not exceed");
    }

    @Test
    void simulateAllowsUpToOneMinute() {
        SimulateRequest ok = SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(60_000).build();
        assertThatCode(() -> requests.validate(ok)).doesNotThrowAnyException();
        assertThatCode(() -> requests.validate(ok.toBuilder().setDurationMs(0).build())).doesNotThrowAnyException();

        assertThatThrownBy(() -> requests.validate(ok.toBuilder().setDurationMs(60_001).build())).hasMessageContaining("duration_ms");
        assertThatThrownBy(() -> requests.validate(ok.toBuilder().setDurationMs(-1).build())).hasMessageContaining("duration_ms");
        assertThatThrownBy(() -> requests.validate(ok.toBuilder().setNeuronModel("lif").build())).hasMessageContaining("neuron_model");
    }

    private void assertInvalid(CampaignSpec spec, String message) {
        assertThatThrownBy(() -> requests.validate(spec))
                .isInstanceOfSatisfying(DomainException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                        .isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}

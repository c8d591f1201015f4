package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CampaignPlannerTest {
    private final CampaignPlanner planner = new CampaignPlanner(NeuronEngines.builtIn(), 3, 8);

    private static CampaignSpec.Builder iaf(int count) {
        return CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(count);
    }

    private void assertInvalid(CampaignSpec spec, String messagePart) {
        assertThatThrownBy(() -> planner.plan(spec))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(messagePart);
    }

    @Test
    void zeroFieldsTakeTheDefaults() {
        CampaignPlan plan = planner.plan(iaf(5).setSeed(9).build());

        assertThat(plan.durationMs()).isEqualTo(6000);
        assertThat(plan.chunkMs()).isEqualTo(1000);
        assertThat(plan.workers()).isEqualTo(3);
        assertThat(plan.engine().name()).isEqualTo("iaf");
        assertThat(plan.effectiveSpec().getDurationMs()).isEqualTo(6000);
        assertThat(plan.effectiveSpec().getInput().getExcPer100MsMax()).isEqualTo(50.0);
        assertThat(plan.effectiveSpec().getInput().getInhDeltaMin()).isEqualTo(-50.0);
    }

    @Test
    void unknownNeuronModelIsInvalidAndNamesTheKnownOnes() {
        assertInvalid(CampaignSpec.newBuilder().setNeuronModel("hodgkin-huxley").setCount(1).build(), "known models: iaf");
    }

    @Test
    void emptyCampaignIsInvalid() {
        assertInvalid(iaf(0).build(), "empty campaign");
        assertInvalid(iaf(-1).build(), "count must be in [1, 100000]");
        assertInvalid(iaf(100_001).build(), "count must be in [1, 100000]");
    }

    @Test
    void durationChunkAndWorkersOutsideTheirRangesAreInvalid() {
        assertInvalid(iaf(1).setDurationMs(99).build(), "duration_ms must be in [100, 600000]");
        assertInvalid(iaf(1).setDurationMs(600_001).build(), "duration_ms");
        assertInvalid(iaf(1).setChunkMs(9).build(), "chunk_ms must be in [10, 60000]");
        assertInvalid(iaf(1).setChunkMs(60_001).build(), "chunk_ms");
        assertInvalid(iaf(1).setWorkers(9).build(), "workers must be in [1, 8]");
        assertInvalid(iaf(1).setWorkers(-2).build(), "workers");
    }
}

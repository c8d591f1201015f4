package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetSplitTest {
    private static final List<SimulationTrace> SIMS = IntegrateAndFireFixture.simulations(20, 50, 3);

    @Test
    void sameSeedGivesSameSplitWhateverTheInputOrder() {
        List<SimulationTrace> shuffled = new ArrayList<>(SIMS);
        Collections.reverse(shuffled);
        DatasetSplit a = DatasetSplit.of(SIMS, 0.1, 0.1, 42);
        DatasetSplit b = DatasetSplit.of(shuffled, 0.1, 0.1, 42);
        assertThat(ids(a.test())).isEqualTo(ids(b.test()));
        assertThat(ids(a.validation())).isEqualTo(ids(b.validation()));
        assertThat(ids(a.train())).isEqualTo(ids(b.train()));
    }

    @Test
    void splitsAreDisjointAndSizedByFraction() {
        DatasetSplit s = DatasetSplit.of(SIMS, 0.1, 0.2, 7);
        assertThat(s.validation().size()).isEqualTo(2);
        assertThat(s.test().size()).isEqualTo(4);
        assertThat(s.train().size()).isEqualTo(14);
        Set<String> all = new HashSet<>(ids(s.train()));
        all.addAll(ids(s.validation()));
        all.addAll(ids(s.test()));
        assertThat(all).hasSize(20);
    }

    @Test
    void differentSeedsGiveDifferentTestSets() {
        assertThat(ids(DatasetSplit.of(SIMS, 0.2, 0.2, 1).test())).isNotEqualTo(ids(DatasetSplit.of(SIMS, 0.2, 0.2, 2).test()));
    }

    @Test
    void threeSimulationsGiveOneOfEach() {
        DatasetSplit s = DatasetSplit.of(SIMS.subList(0, 3), 0.1, 0.1, 1);
        assertThat(s.train().size()).isEqualTo(1);
        assertThat(s.validation().size()).isEqualTo(1);
        assertThat(s.test().size()).isEqualTo(1);
    }

    @Test
    void fewerThanThreeSimulationsIsInvalidArgument() {
        assertThatThrownBy(() -> DatasetSplit.of(SIMS.subList(0, 2), 0.1, 0.1, 1))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("at least 3 simulations");
    }

    private static List<String> ids(SimulationSource sims) {
        return sims.allMetadata().stream().map(m -> m.getSimulationId()).toList();
    }
}

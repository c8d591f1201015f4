package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.store.SyntheticTraces;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceChunkValidatorTest {
    private final TraceChunk valid = SyntheticTraces.iaf("c-7", "c", 7, 2000).toChunks(1000).get(1);

    private static void assertRejected(String key, TraceChunk chunk, String reason) {
        assertThatThrownBy(() -> TraceChunkValidator.validate(key, chunk))
                .isInstanceOf(DomainException.class).hasMessageContaining(reason);
    }

    @Test
    void acceptsChunksOfARealSimulation() {
        for (TraceChunk c : SyntheticTraces.iaf("c-7", "c", 7, 2500).toChunks(1000)) {
            assertThatCode(() -> TraceChunkValidator.validate("c-7", c)).doesNotThrowAnyException();
        }
    }

    @Test
    void rejectsAChunkWithoutMeta() {
        assertRejected("c-7", valid.toBuilder().clearMeta().build(), "no meta");
    }

    @Test
    void rejectsAKeyThatDiffersFromTheSimulationId() {
        assertRejected("other", valid, "differs from meta.simulation_id");
        assertRejected(null, valid, "differs from meta.simulation_id");
        assertRejected("", valid.toBuilder().setMeta(valid.getMeta().toBuilder().setSimulationId("")).build(), "simulation_id is empty");
    }

    @Test
    void rejectsAChunkIndexOutsideTheChunkCount() {
        assertRejected("c-7", valid.toBuilder().setChunkIndex(2).build(), "chunk_index 2 outside [0, 2)");
        assertRejected("c-7", valid.toBuilder().setChunkIndex(-1).build(), "chunk_index -1");
    }

    @Test
    void rejectsAVoltageCountThatDiffersFromTheLength() {
        assertRejected("c-7", valid.toBuilder().addSomaMv(-70f).build(), "soma_mv has 1001 values");
    }

    @Test
    void rejectsANeuronWithoutSynapses() {
        assertRejected("c-7", valid.toBuilder().setMeta(valid.getMeta().toBuilder().setNExc(0).setNInh(0)).build(), "n_exc + n_inh must be > 0");
    }

    @Test
    void rejectsSynapseIndicesAndBinsOutOfRange() {
        assertRejected("c-7", valid.toBuilder().addInputSpikes(SynapseSpikes.newBuilder().setSynapse(100).addBins(1500)).build(),
                "synapse index 100 outside [0, 100)");
        assertRejected("c-7", valid.toBuilder().addInputSpikes(SynapseSpikes.newBuilder().setSynapse(3).addBins(10)).build(),
                "spike bin 10 outside");
    }

    @Test
    void rejectsAChunkBeyondTheSimulation() {
        assertRejected("c-7", valid.toBuilder().setStartMs(1500).build(), "outside the simulation");
    }

    @Test
    void rejectsNamesThatAreNotSafeDirectoryNames() {
        TraceChunk evil = valid.toBuilder().setMeta(valid.getMeta().toBuilder().setNeuronModel("../x")).build();
        assertRejected("c-7", evil, "neuron_model");
    }
}

package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.TraceChunk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesChunksAsFilesAndReassemblesTheSimulation() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        SimulationTrace trace = SyntheticTraces.iaf("c1-0", "c1", 1, 2500);
        for (TraceChunk c : trace.toChunks(1000)) {
            assertThat(store.store(c)).isEqualTo(DatasetStore.StoreResult.STORED);
        }
        assertThat(dir.resolve("iaf/c1-0/chunk-0.pb")).exists();
        assertThat(dir.resolve("iaf/c1-0/chunk-2.pb")).exists();
        SimulationTrace loaded = store.load("iaf", "c1-0");
        assertThat(loaded.somaMv()).containsExactly(trace.somaMv());
        assertThat(loaded.spikeBins(3)).containsExactly(trace.spikeBins(3));
        assertThat(loaded.outputSpikeTimesMs()).containsExactly(trace.outputSpikeTimesMs());
    }

    @Test
    void storingAChunkTwiceIsHarmless() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        TraceChunk c = SyntheticTraces.iaf("c1-0", "c1", 1, 2000).toChunks(1000).get(0);
        store.store(c);
        assertThat(store.store(c)).isEqualTo(DatasetStore.StoreResult.ALREADY_PRESENT);
        DatasetInfo info = store.info("iaf", "");
        assertThat(info.getChunks()).isEqualTo(1);
        assertThat(info.getIncompleteSimulations()).isEqualTo(1);
        try (var files = Files.list(dir.resolve("iaf/c1-0"))) {
            assertThat(files.toList()).hasSize(1);
        }
    }

    @Test
    void countsOnlySimulationsWithEveryChunkAsComplete() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        List<TraceChunk> a = SyntheticTraces.iaf("c1-0", "c1", 1, 2000).toChunks(1000);
        List<TraceChunk> b = SyntheticTraces.iaf("c2-0", "c2", 2, 2000).toChunks(1000);
        store.store(a.get(0));
        store.store(a.get(1));
        store.store(b.get(1));
        assertThat(store.completeSimulations("iaf", "")).containsExactly("c1-0");
        assertThat(store.completeSimulations("iaf", "c2")).isEmpty();
        assertThat(store.info("iaf", "").getCompleteSimulations()).isEqualTo(1);
        assertThat(store.info("iaf", "c2").getIncompleteSimulations()).isEqualTo(1);
        assertThatThrownBy(() -> store.load("iaf", "c2-0")).isInstanceOf(DomainException.class)
                .hasMessageContaining("no complete simulation");
    }

    @Test
    void rebuildsItsIndexFromDiskAndDropsInterruptedWrites() throws Exception {
        DatasetStore first = DatasetStore.open(dir);
        List<TraceChunk> chunks = SyntheticTraces.iaf("c1-0", "c1", 1, 3000).toChunks(1000);
        first.store(chunks.get(0));
        first.store(chunks.get(2));
        Path leftover = dir.resolve("iaf/c1-0/chunk-1.pb" + DurableFiles.TEMP_MARKER + "x");
        Files.write(leftover, new byte[]{1, 2, 3});

        DatasetStore reopened = DatasetStore.open(dir);
        assertThat(leftover).doesNotExist();
        assertThat(reopened.contains("iaf", "c1-0", 0)).isTrue();
        assertThat(reopened.contains("iaf", "c1-0", 1)).isFalse();
        assertThat(reopened.store(chunks.get(2))).isEqualTo(DatasetStore.StoreResult.ALREADY_PRESENT);
        reopened.store(chunks.get(1));
        assertThat(reopened.completeSimulations("iaf", "c1")).containsExactly("c1-0");
    }

    @Test
    void rejectsAChunkThatContradictsTheStoredChunkCount() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        List<TraceChunk> chunks = SyntheticTraces.iaf("c1-0", "c1", 1, 2000).toChunks(1000);
        store.store(chunks.get(0));
        TraceChunk contradicting = chunks.get(1).toBuilder().setChunkCount(3).build();
        assertThatThrownBy(() -> store.store(contradicting)).isInstanceOf(DomainException.class)
                .hasMessageContaining("chunk_count 3");
    }

    @Test
    void refusesNamesThatWouldLeaveTheDataDirectory() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        TraceChunk c = SyntheticTraces.iaf("c1-0", "c1", 1, 1000).toChunks(1000).get(0);
        TraceChunk evil = c.toBuilder().setMeta(c.getMeta().toBuilder().setSimulationId("../../etc")).build();
        assertThatThrownBy(() -> store.store(evil)).isInstanceOf(DomainException.class).hasMessageContaining("simulation_id");
    }

    @Test
    void storesTheSimulatorsMorphologyVariantsAndRefusesOtherColonNames() throws Exception {
        DatasetStore store = DatasetStore.open(dir);
        List<TraceChunk> chunks = SyntheticTraces.iaf("c1-0", "c1", 1, 1000).toChunks(1000);
        TraceChunk variant = chunks.get(0).toBuilder().setMeta(chunks.get(0).getMeta().toBuilder().setNeuronModel("l5pc-ampa:cell1")).build();
        store.store(variant);
        assertThat(store.completeSimulations("l5pc-ampa:cell1", "c1")).containsExactly("c1-0");
        assertThat(DatasetStore.open(dir).completeSimulations("l5pc-ampa:cell1", "c1")).as("after a rescan").containsExactly("c1-0");
        for (String bad : new String[]{"l5pc:../x", ":cell1", "a:b:c", "l5pc-ampa:.hidden", "l5pc/x"}) {
            TraceChunk evil = chunks.get(0).toBuilder().setMeta(chunks.get(0).getMeta().toBuilder().setNeuronModel(bad)).build();
            assertThatThrownBy(() -> store.store(evil)).as(bad).isInstanceOf(DomainException.class).hasMessageContaining("neuron_model");
        }
    }
}

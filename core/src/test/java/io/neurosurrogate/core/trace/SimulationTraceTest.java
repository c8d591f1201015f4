package io.neurosurrogate.core.trace;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.TraceChunk;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationTraceTest {

    static SimulationTrace randomTrace(int synapses, int duration, long seed) {
        Random rnd = new Random(seed);
        SimulationMetadata meta = SimulationMetadata.newBuilder().setSimulationId("c-x-000001").setCampaignId("c-x").setNeuronModel("iaf")
                .setDtMs(1).setDurationMs(duration).setNExc(synapses - 2).setNInh(2).setVThresholdMv(-55).build();
        int[][] bins = new int[synapses][];
        for (int s = 0; s < synapses; s++) {
            List<Integer> b = new ArrayList<>();
            for (int t = 0; t < duration; t++) {
                if (rnd.nextDouble() < 0.02) {
                    b.add(t);
                }
            }
            bins[s] = b.stream().mapToInt(Integer::intValue).toArray();
        }
        float[] soma = new float[duration];
        for (int t = 0; t < duration; t++) {
            soma[t] = (float) (-70 + 20 * rnd.nextDouble());
        }
        return new SimulationTrace(meta, bins, soma, new double[]{12.0, 999.5, duration - 1.0});
    }

    @Test
    void chunksReassembleToTheSameTraceInAnyOrder() {
        SimulationTrace t = randomTrace(10, 2500, 1);
        List<TraceChunk> chunks = new ArrayList<>(t.toChunks(1000));
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(2).getLengthMs()).isEqualTo(500);
        Collections.reverse(chunks);
        SimulationTrace back = SimulationTrace.fromChunks(chunks);
        assertThat(back.somaMv()).isEqualTo(t.somaMv());
        assertThat(back.outputSpikeTimesMs()).isEqualTo(t.outputSpikeTimesMs());
        for (int s = 0; s < 10; s++) {
            assertThat(back.spikeBins(s)).isEqualTo(t.spikeBins(s));
        }
    }

    @Test
    void theNexusVoltageTravelsWithTheChunksWhenPresent() {
        SimulationTrace t = randomTrace(6, 2500, 2);
        float[] nexus = new float[2500];
        for (int i = 0; i < nexus.length; i++) {
            nexus[i] = -60 + i * 0.001f;
        }
        SimulationTrace withNexus = new SimulationTrace(t.meta(), new int[][]{t.spikeBins(0), t.spikeBins(1), t.spikeBins(2),
                t.spikeBins(3), t.spikeBins(4), t.spikeBins(5)}, t.somaMv(), t.outputSpikeTimesMs(), nexus);
        List<TraceChunk> chunks = withNexus.toChunks(1000);
        assertThat(chunks.get(2).getNexusMvCount()).isEqualTo(500);

        assertThat(SimulationTrace.fromChunks(chunks).nexusMv()).isEqualTo(nexus);
        assertThat(SimulationTrace.fromChunks(t.toChunks(1000)).nexusMv()).isNull();
        List<TraceChunk> broken = new ArrayList<>(chunks);
        broken.set(1, chunks.get(1).toBuilder().clearNexusMv().build());
        assertThatThrownBy(() -> SimulationTrace.fromChunks(broken)).isInstanceOf(DomainException.class).hasMessageContaining("nexus");
    }

    @Test
    void missingOrDuplicateChunksAreRejected() {
        List<TraceChunk> chunks = randomTrace(4, 3000, 2).toChunks(1000);
        assertThatThrownBy(() -> SimulationTrace.fromChunks(chunks.subList(0, 2))).isInstanceOf(DomainException.class).hasMessageContaining("2 of 3");
        List<TraceChunk> dup = List.of(chunks.get(0), chunks.get(0), chunks.get(2));
        assertThatThrownBy(() -> SimulationTrace.fromChunks(dup)).isInstanceOf(DomainException.class);
    }

    @Test
    void denseInputMarksExactlyTheSpikeBinsOfTheWindow() {
        SimulationTrace t = randomTrace(5, 400, 3);
        float[] dense = t.denseInput(100, 50);
        for (int s = 0; s < 5; s++) {
            int count = 0;
            for (int b : t.spikeBins(s)) {
                if (b >= 100 && b < 150) {
                    assertThat(dense[s * 50 + b - 100]).isEqualTo(1f);
                    count++;
                }
            }
            float sum = 0;
            for (int i = 0; i < 50; i++) {
                sum += dense[s * 50 + i];
            }
            assertThat(sum).isEqualTo(count);
        }
    }

    @Test
    void labelsAndClippedVoltage() {
        SimulationTrace t = randomTrace(3, 1000, 4);
        boolean[] labels = t.spikeLabels();
        assertThat(labels[12]).isTrue();
        assertThat(labels[999]).isTrue();
        assertThat(labels[13]).isFalse();
        for (float v : t.clippedSomaMv(-55)) {
            assertThat(v).isLessThanOrEqualTo(-55f);
        }
    }
}

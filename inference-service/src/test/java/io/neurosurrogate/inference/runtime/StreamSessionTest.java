package io.neurosurrogate.inference.runtime;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.inference.runtime.OnnxModelLoader.InvalidModelException;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.StreamClient;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StreamSessionTest {
    private final OnnxModelLoader loader = new OnnxModelLoader(1);
    private final TinySurrogate tiny = TinySurrogate.withStepGraph(-70f);

    @TempDir
    Path dir;

    @Test
    void stepsMatchTheHandComputationOfTheWindowForABatchOfSequences() throws Exception {
        try (LoadedModel model = load(tiny.stepOnnx());
             StreamSession session = StreamSession.open(model, 16, 100, false)) {
            float[][][] x = Spikes.random(4, TinySurrogate.SYNAPSES, 50, 0.3, 17);
            double[][][] expected = tiny.expected(x);
            session.start(StreamStart.newBuilder().addAllSequenceIds(List.of(1L, 2L, 3L, 4L)).build());

            int t = 0;
            for (int steps : new int[]{1, 4, 20, 25}) {
                StreamStep.Builder step = StreamStep.newBuilder().addAllSequenceIds(List.of(1L, 2L, 3L, 4L)).setSteps(steps);
                for (float[][] neuron : x) {
                    step.addInputs(StreamClient.window(neuron, t, steps));
                }
                StreamStepResult r = session.step(step.build());
                for (int n = 0; n < 4; n++) {
                    for (int k = 0; k < steps; k++) {
                        assertThat((double) r.getSpikeProb(n * steps + k)).as("spike_prob[%d][%d]", n, t + k)
                                .isCloseTo(expected[0][n][t + k], within(1e-5));
                        assertThat((double) r.getSomaMv(n * steps + k)).as("soma_mv[%d][%d]", n, t + k)
                                .isCloseTo(expected[1][n][t + k], within(1e-4));
                    }
                }
                t += steps;
            }
            assertThat(session.end(StreamEnd.newBuilder().addSequenceIds(2L).build()).getOpenSequences()).isEqualTo(3);
        }
    }

    @Test
    void rejectedStepLeavesEverySequenceAsItWas() throws Exception {
        try (LoadedModel model = load(tiny.stepOnnx());
             StreamSession session = StreamSession.open(model, 16, 100, false)) {
            float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 10, 0.5, 4);
            session.start(StreamStart.newBuilder().addSequenceIds(1L).build());
            StreamStep first = StreamStep.newBuilder().addSequenceIds(1L).setSteps(5).addInputs(StreamClient.window(x[0], 0, 5)).build();
            session.step(first);
            StreamStep bad = StreamStep.newBuilder().addSequenceIds(1L).addSequenceIds(9L).setSteps(5).build();
            assertThatThrownBy(() -> session.step(bad))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));

            StreamStepResult second = session.step(StreamStep.newBuilder().addSequenceIds(1L).setSteps(5)
                    .addInputs(StreamClient.window(x[0], 5, 5)).build());
            double[][][] expected = tiny.expected(x);
            for (int k = 0; k < 5; k++) {
                assertThat((double) second.getSomaMv(k)).isCloseTo(expected[1][0][5 + k], within(1e-4));
            }
        }
    }

    @Test
    void versionClosedWhileStreamingKeepsServingTheStreamUntilItEnds() throws Exception {
        LoadedModel model = load(tiny.stepOnnx());
        StreamSession session = StreamSession.open(model, 4, 10, false);
        session.start(StreamStart.newBuilder().addSequenceIds(1L).build());

        model.close(); // as the registry does when the version is deleted
        assertThat(session.step(StreamStep.newBuilder().addSequenceIds(1L).setSteps(3).build()).getSomaMvCount()).isEqualTo(3);
        assertThatThrownBy(() -> StreamSession.open(model, 4, 10, false))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));

        assertThat(model.withStepSession(() -> "still usable")).isEqualTo("still usable");
        session.close(); // the last lease frees the sessions
        assertThatThrownBy(() -> model.withStepSession(() -> "freed"))
                .isInstanceOf(DomainException.class).hasMessageContaining("was unloaded");
    }

    @Test
    void streamIdleLongerThanTheTimeoutIsHandedToItsEvictionAndForgotten() throws Exception {
        StreamSessions sessions = new StreamSessions(4, 10, Duration.ofMillis(200));
        try (LoadedModel model = load(tiny.stepOnnx())) {
            CountDownLatch idle = new CountDownLatch(1);
            CountDownLatch busyEvicted = new CountDownLatch(1);
            StreamSession quiet = sessions.open(model, false, idle::countDown);
            StreamSession busy = sessions.open(model, false, busyEvicted::countDown);
            assertThat(sessions.openStreams()).isEqualTo(2);

            long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
            while (System.nanoTime() < until) {
                busy.touch();
                Thread.sleep(20);
            }

            assertThat(idle.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(busyEvicted.getCount()).as("a stream with requests is not idle").isEqualTo(1);
            assertThat(sessions.openStreams()).isEqualTo(1);
            sessions.close(quiet);
            sessions.close(busy);
            assertThat(sessions.openStreams()).isZero();
        } finally {
            sessions.stop();
        }
    }

    @Test
    void modelWithoutStepGraphCannotOpenAStream() throws Exception {
        TinySurrogate old = TinySurrogate.withOffset(-70f);
        Path file = Files.write(dir.resolve("old.onnx"), old.onnx());
        try (LoadedModel model = loader.load(file, OnnxModelLoaderTest.version("old", 2, old.onnx()))) {
            assertThat(model.hasStepGraph()).isFalse();
            assertThatThrownBy(() -> StreamSession.open(model, 4, 10, false))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FAILED_PRECONDITION))
                    .hasMessageContaining("model 'old' version 2 has no step graph");
        }
    }

    @Test
    void eventDrivenStreamGivesTheDenseStreamsOutputsAndTheHandComputation() throws Exception {
        TinySurrogate events = TinySurrogate.withEventsGraph(-70f);
        try (LoadedModel model = loadWithEvents(events, "ev");
             StreamSession dense = StreamSession.open(model, 16, 100, false);
             StreamSession sparse = StreamSession.open(model, 16, 100, true)) {
            assertThat(model.hasEventGraph()).isTrue();
            assertThat(sparse.opened().getEventDriven()).isTrue();
            assertThat(dense.opened().getEventDriven()).isFalse();
            float[][][] x = Spikes.random(3, TinySurrogate.SYNAPSES, 40, 0.3, 23);
            double[][][] expected = events.expected(x);
            List<Long> ids = List.of(7L, 8L, 9L);
            dense.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            sparse.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            int t = 0;
            for (int steps : new int[]{1, 2, 3, 9, 25}) {
                StreamStep.Builder step = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps);
                for (float[][] neuron : x) {
                    step.addInputs(StreamClient.window(neuron, t, steps));
                }
                StreamStepResult d = dense.step(step.build());
                StreamStepResult e = sparse.step(step.build());
                for (int n = 0; n < 3; n++) {
                    for (int k = 0; k < steps; k++) {
                        int i = n * steps + k;
                        assertThat((double) e.getSpikeProb(i)).as("spike_prob[%d][%d]", n, t + k)
                                .isCloseTo(d.getSpikeProb(i), within(1e-5)).isCloseTo(expected[0][n][t + k], within(1e-5));
                        assertThat((double) e.getSomaMv(i)).as("soma_mv[%d][%d]", n, t + k)
                                .isCloseTo(d.getSomaMv(i), within(1e-4)).isCloseTo(expected[1][n][t + k], within(1e-4));
                    }
                }
                assertThat(e.getSpikeStepsList()).isEqualTo(d.getSpikeStepsList());
                t += steps;
            }
        }
    }

    @Test
    void packedInputGivesTheOutputsOfPerSynapseInputInDenseAndEventDrivenStreams() throws Exception {
        TinySurrogate events = TinySurrogate.withEventsGraph(-70f);
        try (LoadedModel model = loadWithEvents(events, "packed")) {
            float[][][] x = Spikes.random(3, TinySurrogate.SYNAPSES, 30, 0.3, 41);
            List<Long> ids = List.of(4L, 5L, 6L);
            for (boolean eventDriven : new boolean[]{false, true}) {
                try (StreamSession perSynapse = StreamSession.open(model, 16, 100, eventDriven);
                     StreamSession packed = StreamSession.open(model, 16, 100, eventDriven)) {
                    perSynapse.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
                    packed.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
                    int t = 0;
                    for (int steps : new int[]{1, 4, 25}) {
                        StreamStep.Builder a = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps);
                        for (float[][] neuron : x) {
                            a.addInputs(StreamClient.window(neuron, t, steps));
                        }
                        StreamStep b = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps)
                                .setPacked(StreamClient.packed(x, t, steps)).build();
                        assertThat(b.getPacked().getSynapseDeltas().size()).as("spikes in bins %d..", t).isPositive();
                        StreamStepResult expected = perSynapse.step(a.build());
                        StreamStepResult got = packed.step(b);
                        assertThat(got.getSpikeProbList()).as("event-driven %s, bins %d..", eventDriven, t).isEqualTo(expected.getSpikeProbList());
                        assertThat(got.getSomaMvList()).isEqualTo(expected.getSomaMvList());
                        t += steps;
                    }
                }
            }
        }
    }

    @Test
    void badPackedInputIsRefusedNamingItAndChangesNoSequence() throws Exception {
        try (LoadedModel model = load(tiny.stepOnnx());
             StreamSession session = StreamSession.open(model, 16, 100, false)) {
            float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 10, 0.5, 5);
            List<Long> ids = List.of(1L, 2L);
            session.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            session.step(StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(5).setPacked(StreamClient.packed(x, 0, 5)).build());
            int synapses = TinySurrogate.SYNAPSES;
            record Bad(PackedSpikes packed, String message) {
            }
            List<Bad> bad = List.of(
                    new Bad(packedOf(new int[]{1}, 0), "step.packed.counts has 1 entries, 2 neurons x 5 bins = 10"),
                    new Bad(packedOf(new int[]{0, 0, 0, 0, 0, 0, 0, 2, 0, 0}, 1), "the counts add up to 2 spikes, synapse_deltas has only 1 bytes"),
                    new Bad(packedOf(new int[]{0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, synapses), "neuron 1, bin 2 has synapse " + synapses + " (spike 0) outside 0.." + (synapses - 1)),
                    new Bad(packedOf(new int[]{2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 0), "spike 1 (neuron 0, bin 0) has delta 0: a bin's synapses must be ascending"),
                    new Bad(packedOf(new int[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 1), "synapse_deltas has 1 bytes left after the 1 varints"),
                    new Bad(packedOf(new int[0], 3), "synapse_deltas has 1 bytes but counts has none"));
            for (Bad b : bad) {
                assertThatThrownBy(() -> session.step(StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(5).setPacked(b.packed()).build()))
                        .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                        .hasMessageContaining(b.message());
            }
            StreamStep both = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(5).setPacked(StreamClient.packed(x, 5, 5))
                    .addInputs(StreamClient.window(x[0], 5, 5)).addInputs(StreamClient.window(x[1], 5, 5)).build();
            assertThatThrownBy(() -> session.step(both)).hasMessageContaining("as inputs or as packed, not both");

            StreamStepResult rest = session.step(StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(5).setPacked(StreamClient.packed(x, 5, 5)).build());
            double[][][] expected = tiny.expected(x);
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 5; k++) {
                    assertThat((double) rest.getSomaMv(n * 5 + k)).as("soma_mv[%d][%d] after the refused requests", n, 5 + k)
                            .isCloseTo(expected[1][n][5 + k], within(1e-4));
                }
            }
        }
    }

    /** PackedSpikes with these counts and these deltas as varints. */
    private static PackedSpikes packedOf(int[] counts, int... deltas) {
        PackedSpikes.Builder b = PackedSpikes.newBuilder();
        for (int c : counts) {
            b.addCounts(c);
        }
        byte[] bytes = new byte[deltas.length * 5];
        int at = 0;
        for (int d : deltas) {
            at = SpikePacking.writeVarint(bytes, at, d);
        }
        return b.setSynapseDeltas(ByteString.copyFrom(bytes, 0, at)).build();
    }

    @Test
    void dendriticHeadsNexusVoltageStreamsLikeTheWindowGivesIt() throws Exception {
        TinySurrogate nexus = TinySurrogate.withNexusAndStepGraph(-70f);
        Path file = Files.write(dir.resolve("nexus-model.onnx"), nexus.onnx());
        Path stepFile = Files.write(dir.resolve("nexus-model.step.onnx"), nexus.stepOnnx());
        try (LoadedModel model = loader.load(file, stepFile, OnnxModelLoaderTest.version("nx", 1, nexus.onnx()));
             StreamSession session = StreamSession.open(model, 8, 100, false)) {
            float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 40, 0.3, 29);
            Prediction window = model.run(io.neurosurrogate.core.inference.PredictRequests.denseInput(
                    Spikes.denseRequest("nx", "", x).build()), 2, 40);
            session.start(StreamStart.newBuilder().addAllSequenceIds(List.of(1L, 2L)).build());
            StreamStep.Builder step = StreamStep.newBuilder().addAllSequenceIds(List.of(1L, 2L)).setSteps(40);
            for (float[][] neuron : x) {
                step.addInputs(StreamClient.window(neuron, 0, 40));
            }
            StreamStepResult r = session.step(step.build());
            assertThat(r.getNexusMvCount()).isEqualTo(80);
            for (int i = 0; i < 80; i++) {
                assertThat((double) r.getNexusMv(i)).as("nexus_mv %d", i).isCloseTo(window.nexusMv()[i], within(1e-4));
            }
        }
        try (LoadedModel plain = load(tiny.stepOnnx()); StreamSession s = StreamSession.open(plain, 4, 10, false)) {
            s.start(StreamStart.newBuilder().addSequenceIds(1L).build());
            assertThat(s.step(StreamStep.newBuilder().addSequenceIds(1L).setSteps(2).build()).getNexusMvCount()).isZero();
        }
    }

    @Test
    void int8StreamQuantisesTheConvAndStaysCloseToTheFloatStream() throws Exception {
        try (LoadedModel model = loadWithEvents(TinySurrogate.withEventsGraph(-70f), "i8");
             StreamSession fp32 = StreamSession.open(model, 16, 100, false);
             StreamSession int8 = StreamSession.open(model, 16, 100, false, StreamPrecision.INT8)) {
            assertThat(model.hasInt8(false)).isTrue();
            assertThat(int8.opened().getPrecision()).isEqualTo("int8");
            assertThat(fp32.opened().getPrecision()).isEqualTo("fp32");
            // The tiny net's events graph is its heads alone: nothing to quantise there.
            assertThat(model.hasInt8(true)).isFalse();
            assertThatThrownBy(() -> StreamSession.open(model, 4, 10, true, StreamPrecision.INT8))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FAILED_PRECONDITION))
                    .hasMessageContaining("has no int8 form of its events graph");

            float[][][] x = Spikes.random(3, TinySurrogate.SYNAPSES, 60, 0.3, 31);
            List<Long> ids = List.of(1L, 2L, 3L);
            fp32.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            int8.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            StreamStep.Builder step = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(60);
            for (float[][] neuron : x) {
                step.addInputs(StreamClient.window(neuron, 0, 60));
            }
            StreamStepResult f = fp32.step(step.build());
            StreamStepResult q = int8.step(step.build());
            double probDiff = 0;
            double mvDiff = 0;
            for (int i = 0; i < 180; i++) {
                probDiff = Math.max(probDiff, Math.abs(f.getSpikeProb(i) - q.getSpikeProb(i)));
                mvDiff = Math.max(mvDiff, Math.abs(f.getSomaMv(i) - q.getSomaMv(i)));
            }
            // Weights per output channel to 1/127 of their largest: 20 taps of <= 0.6 err by <= 0.05 in all.
            assertThat(probDiff).as("spike_prob max |int8 - fp32|").isLessThan(0.05);
            assertThat(mvDiff).as("soma_mv max |int8 - fp32|").isGreaterThan(0).isLessThan(0.2);
        }
    }

    @Test
    void aRequestRunInChunksOfRowsGivesTheOutputsOfOneRun() throws Exception {
        try (LoadedModel model = loadWithEvents(TinySurrogate.withEventsGraph(-70f), "chunks")) {
            float[][][] x = Spikes.random(5, TinySurrogate.SYNAPSES, 40, 0.3, 53);
            List<Long> ids = List.of(10L, 11L, 12L, 13L, 14L);
            // The second and third requests name the sequences in another order: a chunk's rows follow the request.
            List<List<Integer>> orders = List.of(List.of(0, 1, 2, 3, 4), List.of(4, 2, 0, 3, 1), List.of(3, 4, 1, 0, 2));
            for (boolean eventDriven : new boolean[]{false, true}) {
                try (StreamSession whole = StreamSession.open(model, 16, 100, 128, eventDriven, StreamPrecision.FP32);
                     StreamSession chunked = StreamSession.open(model, 16, 100, 2, true, eventDriven, StreamPrecision.FP32);
                     StreamSession stateless = StreamSession.open(model, 16, 100, 2, eventDriven, StreamPrecision.FP32)) {
                    // The tiny model's events graph is its heads alone: no state, so its requests run whole unless forced.
                    assertThat(chunked.rowsPerRun()).isEqualTo(2);
                    assertThat(stateless.rowsPerRun()).isEqualTo(eventDriven ? Integer.MAX_VALUE : 2);
                    whole.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
                    chunked.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
                    int t = 0;
                    int r = 0;
                    for (int steps : new int[]{1, 14, 25}) {
                        List<Integer> order = orders.get(r++);
                        float[][][] rows = new float[order.size()][][];
                        StreamStep.Builder perSynapse = StreamStep.newBuilder().setSteps(steps);
                        for (int i = 0; i < order.size(); i++) {
                            rows[i] = x[order.get(i)];
                            perSynapse.addSequenceIds(ids.get(order.get(i))).addInputs(StreamClient.window(rows[i], t, steps));
                        }
                        StreamStep packed = StreamStep.newBuilder().addAllSequenceIds(perSynapse.getSequenceIdsList()).setSteps(steps)
                                .setPacked(StreamClient.packed(rows, t, steps)).build();
                        StreamStepResult expected = whole.step(perSynapse.build());
                        StreamStepResult got = chunked.step(eventDriven ? packed : perSynapse.build());
                        assertThat(got.getSpikeProbList()).as("event-driven %s, bins %d..", eventDriven, t).isEqualTo(expected.getSpikeProbList());
                        assertThat(got.getSomaMvList()).isEqualTo(expected.getSomaMvList());
                        assertThat(got.getSpikeCountsList()).isEqualTo(expected.getSpikeCountsList());
                        assertThat(got.getSpikeStepsList()).isEqualTo(expected.getSpikeStepsList());
                        t += steps;
                    }
                }
            }
            assertThatThrownBy(() -> StreamSession.open(model, 16, 100, 0, false, false, StreamPrecision.FP32))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows per run");
        }
    }

    @Test
    void anInt8StreamRunInChunksStaysCloseToTheFloatStream() throws Exception {
        try (LoadedModel model = loadWithEvents(TinySurrogate.withEventsGraph(-70f), "i8chunks");
             StreamSession fp32 = StreamSession.open(model, 16, 100, false);
             StreamSession int8 = StreamSession.open(model, 16, 100, 2, false, StreamPrecision.INT8)) {
            assertThat(int8.rowsPerRun()).isEqualTo(2);
            float[][][] x = Spikes.random(5, TinySurrogate.SYNAPSES, 60, 0.3, 59);
            List<Long> ids = List.of(1L, 2L, 3L, 4L, 5L);
            fp32.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            int8.start(StreamStart.newBuilder().addAllSequenceIds(ids).build());
            StreamStep step = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(60).setPacked(StreamClient.packed(x, 0, 60)).build();
            StreamStepResult f = fp32.step(step);
            StreamStepResult q = int8.step(step);
            for (int i = 0; i < 5 * 60; i++) {
                assertThat(q.getSpikeProb(i)).as("spike_prob %d", i).isCloseTo(f.getSpikeProb(i), within(0.05f));
                assertThat(q.getSomaMv(i)).as("soma_mv %d", i).isCloseTo(f.getSomaMv(i), within(0.2f));
            }
        }
    }

    @Test
    void modelWithoutEventsGraphCannotOpenAnEventDrivenStream() throws Exception {
        try (LoadedModel model = load(tiny.stepOnnx())) {
            assertThat(model.hasEventGraph()).isFalse();
            assertThatThrownBy(() -> StreamSession.open(model, 4, 10, true))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FAILED_PRECONDITION))
                    .hasMessageContaining("model 'tiny' version 1 has no events graph");
        }
    }

    /** {@code model} with its step and events graphs, loaded as version 1 of {@code name}. */
    private LoadedModel loadWithEvents(TinySurrogate model, String name) throws IOException, InvalidModelException {
        Path file = Files.write(dir.resolve(name + ".onnx"), model.onnx());
        Path stepFile = Files.write(dir.resolve(name + ".step.onnx"), model.stepOnnx());
        Path eventsFile = Files.write(dir.resolve(name + ".events.onnx"), model.eventsOnnx());
        return loader.load(file, stepFile, eventsFile, OnnxModelLoaderTest.version(name, 1, model.onnx()));
    }

    private LoadedModel load(byte[] step) throws IOException, InvalidModelException {
        Path file = Files.write(dir.resolve("model.onnx"), tiny.onnx());
        Path stepFile = Files.write(dir.resolve(TinySurrogate.STEP_GRAPH_FILE), step);
        return loader.load(file, stepFile, OnnxModelLoaderTest.version("tiny", 1, tiny.onnx()));
    }
}

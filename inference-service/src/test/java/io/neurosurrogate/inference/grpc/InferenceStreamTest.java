package io.neurosurrogate.inference.grpc;

import io.grpc.Status;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.inference.testing.ModelTopic;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.StreamClient;
import io.neurosurrogate.inference.testing.StreamClient.StreamFailed;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * InferenceService.Stream over real gRPC with real ONNX Runtime: models with a hand-made step graph
 * (TinySurrogate) are published on the embedded broker and fetched from a trainer double; streamed
 * outputs are checked against Predict on the whole window. The test profile allows 8 sequences per
 * stream and ends streams idle for 3 s.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class InferenceStreamTest extends RunningServiceTest {
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_SEQUENCES = 8;

    private final List<StreamClient> streams = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        streams.forEach(StreamClient::close);
    }

    @Test
    void streamingStepByStepAndInChunksMatchesPredictOnTheWholeWindow() {
        TinySurrogate tiny = TinySurrogate.withStepGraph(-70f);
        serve("stream-parity", 1, tiny);
        int time = 60;
        float[][][] x = Spikes.random(3, TinySurrogate.SYNAPSES, time, 0.35, 21);
        PredictResponse window = inference.predict(Spikes.sparseRequest("stream-parity", "1", x).build());

        StreamClient stream = stream();
        StreamOpened opened = stream.open("stream-parity", "").getOpened();
        assertThat(opened.getModelName()).isEqualTo("stream-parity");
        assertThat(opened.getVersion()).isEqualTo(1);
        assertThat(opened.getSynapses()).isEqualTo(TinySurrogate.SYNAPSES);
        assertThat(opened.getSpikeThreshold()).isEqualTo(tiny.threshold());
        assertThat(opened.getReceptiveFieldMs()).isEqualTo(TinySurrogate.KERNEL);
        assertThat(opened.getMaxSequences()).isEqualTo(MAX_SEQUENCES);
        assertThat(stream.start(10L, 11L, 12L).getStarted().getOpenSequences()).isEqualTo(3);

        float[][] prob = new float[3][time];
        float[][] soma = new float[3][time];
        int spikes = 0;
        int t = 0;
        // one bin at a time first, then ever larger requests, ids in a different order each time
        int[] chunks = {1, 1, 1, 2, 3, 7, 10, 35};
        for (int c = 0; c < chunks.length; c++) {
            int steps = chunks[c];
            int[] order = c % 2 == 0 ? new int[]{0, 1, 2} : new int[]{2, 0, 1};
            List<Long> ids = new ArrayList<>();
            float[][][] inputs = new float[3][][];
            for (int i = 0; i < 3; i++) {
                ids.add(10L + order[i]);
                inputs[i] = x[order[i]];
            }
            StreamStepResult r = stream.step(ids, inputs, t, steps);
            assertThat(r.getSequenceIdsList()).isEqualTo(ids);
            assertThat(r.getSteps()).isEqualTo(steps);
            assertThat(r.getSpikeProbCount()).isEqualTo(3 * steps);
            assertThat(r.getSpikeCountsCount()).isEqualTo(3);
            int spikeIndex = 0;
            for (int i = 0; i < 3; i++) {
                List<Integer> expectedSpikeSteps = new ArrayList<>();
                for (int k = 0; k < steps; k++) {
                    prob[order[i]][t + k] = r.getSpikeProb(i * steps + k);
                    soma[order[i]][t + k] = r.getSomaMv(i * steps + k);
                    if (r.getSpikeProb(i * steps + k) >= tiny.threshold()) {
                        expectedSpikeSteps.add(k);
                    }
                }
                assertThat(r.getSpikeCounts(i)).isEqualTo(expectedSpikeSteps.size());
                assertThat(r.getSpikeStepsList().subList(spikeIndex, spikeIndex + r.getSpikeCounts(i))).isEqualTo(expectedSpikeSteps);
                spikeIndex += r.getSpikeCounts(i);
                spikes += expectedSpikeSteps.size();
            }
            assertThat(spikeIndex).isEqualTo(r.getSpikeStepsCount());
            t += steps;
        }
        assertThat(t).isEqualTo(time);
        for (int n = 0; n < 3; n++) {
            assertMatches(window.getNeurons(n), prob[n], soma[n], "sequence " + n);
        }
        assertThat(spikes).as("the input should drive some bins over the threshold").isPositive();
        assertThat(stream.end(10L, 11L).getEnded().getOpenSequences()).isEqualTo(1);
    }

    @Test
    void sequenceStartedMidwayMatchesAFreshWindowFromItsStart() {
        serve("stream-indep", 1, TinySurrogate.withStepGraph(-65f));
        float[][][] early = Spikes.random(1, TinySurrogate.SYNAPSES, 40, 0.4, 31);
        float[][][] late = Spikes.random(1, TinySurrogate.SYNAPSES, 25, 0.4, 32);
        PredictResponse earlyWindow = inference.predict(Spikes.sparseRequest("stream-indep", "1", early).build());
        PredictResponse lateWindow = inference.predict(Spikes.sparseRequest("stream-indep", "1", late).build());

        StreamClient stream = stream();
        stream.open("stream-indep", "1");
        stream.start(1L);
        StreamStepResult first = stream.step(List.of(1L), early, 0, 15);
        stream.start(2L);
        // both advance together; sequence 1 continues its history, sequence 2 starts from zero state
        StreamStepResult both = stream.step(List.of(2L, 1L), new float[][][]{late[0], sliceFrom(early[0], 15)}, 0, 25);

        float[] earlyProb = new float[40];
        float[] earlySoma = new float[40];
        for (int k = 0; k < 15; k++) {
            earlyProb[k] = first.getSpikeProb(k);
            earlySoma[k] = first.getSomaMv(k);
        }
        float[] lateProb = new float[25];
        float[] lateSoma = new float[25];
        for (int k = 0; k < 25; k++) {
            lateProb[k] = both.getSpikeProb(k);
            lateSoma[k] = both.getSomaMv(k);
            earlyProb[15 + k] = both.getSpikeProb(25 + k);
            earlySoma[15 + k] = both.getSomaMv(25 + k);
        }
        assertMatches(earlyWindow.getNeurons(0), earlyProb, earlySoma, "sequence 1");
        assertMatches(lateWindow.getNeurons(0), lateProb, lateSoma, "sequence 2, started at bin 15");
    }

    @Test
    void eventDrivenStreamOverGrpcMatchesPredictAndRefusesVersionsWithoutAnEventsGraph() {
        serve("stream-events", 1, TinySurrogate.withEventsGraph(-68f));
        int time = 30;
        float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, time, 0.35, 41);
        PredictResponse window = inference.predict(Spikes.sparseRequest("stream-events", "1", x).build());
        StreamClient stream = stream();
        assertThat(stream.open("stream-events", "1", true).getOpened().getEventDriven()).isTrue();
        stream.start(1L, 2L);
        StreamStepResult first = stream.step(List.of(1L, 2L), x, 0, 12);
        StreamStepResult rest = stream.step(List.of(1L, 2L), new float[][][]{sliceFrom(x[0], 12), sliceFrom(x[1], 12)}, 0, time - 12);
        for (int n = 0; n < 2; n++) {
            float[] prob = new float[time];
            float[] soma = new float[time];
            for (int k = 0; k < 12; k++) {
                prob[k] = first.getSpikeProb(n * 12 + k);
                soma[k] = first.getSomaMv(n * 12 + k);
            }
            for (int k = 0; k < time - 12; k++) {
                prob[12 + k] = rest.getSpikeProb(n * (time - 12) + k);
                soma[12 + k] = rest.getSomaMv(n * (time - 12) + k);
            }
            assertMatches(window.getNeurons(n), prob, soma, "event-driven sequence " + n);
        }

        serve("stream-noevents", 1, TinySurrogate.withStepGraph(-70f));
        assertFails(List.of(StreamRequest.newBuilder().setOpen(io.neurosurrogate.proto.v1.StreamOpen.newBuilder()
                .setModelName("stream-noevents").setVersion("1").setEventDriven(true))), Status.Code.FAILED_PRECONDITION, "no events graph");
    }

    @Test
    void eachInvalidRequestEndsTheStreamWithItsStatusNamingTheOffender() {
        serve("stream-strict", 1, TinySurrogate.withStepGraph(-70f));
        StreamRequest.Builder open = openRequest("stream-strict", "1");

        assertFails(List.of(open, open), Status.Code.FAILED_PRECONDITION, "already open");
        assertFails(List.of(startRequest(1L)), Status.Code.FAILED_PRECONDITION, "first request of a stream must be open");
        assertFails(List.of(openRequest("no-such-model", "")), Status.Code.NOT_FOUND, "no-such-model");
        assertFails(List.of(openRequest("stream-strict", "7")), Status.Code.NOT_FOUND, "version '7'");
        assertFails(List.of(StreamRequest.newBuilder().setOpen(io.neurosurrogate.proto.v1.StreamOpen.newBuilder()
                .setModelName("stream-strict").setVersion("1").setPrecision("fp16"))), Status.Code.INVALID_ARGUMENT,
                "open.precision must be 'fp32' (the default) or 'int8', got 'fp16'");
        assertFails(List.of(open, startRequest(1L), startRequest(2L, 1L)), Status.Code.ALREADY_EXISTS, "sequence_ids[1] = 1 is already open");
        assertFails(List.of(open, startRequest(1L), stepRequest(1, 1L, 3L)), Status.Code.NOT_FOUND, "sequence_ids[1] = 3 is not open");
        assertFails(List.of(open, startRequest(1L), endRequest(4L)), Status.Code.NOT_FOUND, "sequence_ids[0] = 4 is not open");
        assertFails(List.of(open, startRequest(1L, 2L), stepRequest(1, 2L, 1L, 2L)), Status.Code.INVALID_ARGUMENT,
                "sequence_ids[2] = 2 is repeated");
        assertFails(List.of(open, startRequest(5L, 5L)), Status.Code.INVALID_ARGUMENT, "sequence_ids[1] = 5 is repeated");
        assertFails(List.of(open, startRequest(1L), stepRequest(0, 1L)), Status.Code.INVALID_ARGUMENT, "steps = 0");
        assertFails(List.of(open, startRequest(1L), stepRequest(1001, 1L)), Status.Code.INVALID_ARGUMENT, "outside 1..1000");
        assertFails(List.of(open, startRequest(1L, 2L), stepRequest(2, 1L, 2L).setStep(stepWith(2, List.of(1L, 2L),
                input(0, 0)))), Status.Code.INVALID_ARGUMENT, "1 inputs for 2 sequence_ids");
        assertFails(List.of(open, startRequest(1L, 2L), stepRequest(2, 1L, 2L).setStep(stepWith(2, List.of(1L, 2L),
                input(0, 1), input(TinySurrogate.SYNAPSES, 0)))), Status.Code.INVALID_ARGUMENT,
                "inputs[1].synapses[0].synapse = 5 outside 0..4");
        assertFails(List.of(open, startRequest(1L), stepRequest(4, 1L).setStep(stepWith(4, List.of(1L),
                input(2, 0, 3, 4)))), Status.Code.INVALID_ARGUMENT, "inputs[0].synapses[0].bins[2] = 4 outside 0..3");

        // a rejected request changed nothing on other streams: a fresh one still serves
        StreamClient ok = stream();
        ok.open("stream-strict", "1");
        ok.start(1L);
        assertThat(ok.step(List.of(1L), null, 0, 3).getSomaMvCount()).isEqualTo(3);
    }

    @Test
    void startingMoreThanMaxSequencesIsResourceExhaustedNamingTheLimit() {
        serve("stream-full", 1, TinySurrogate.withStepGraph(-70f));
        Long[] seven = {1L, 2L, 3L, 4L, 5L, 6L, 7L};
        StreamClient stream = stream();
        stream.open("stream-full", "");
        assertThat(stream.start(seven).getStarted().getOpenSequences()).isEqualTo(7);

        assertThatThrownBy(() -> stream.start(8L, 9L)).isInstanceOfSatisfying(StreamFailed.class, e -> {
            assertThat(e.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.status().getDescription()).contains("max_sequences = " + MAX_SEQUENCES)
                    .contains("ns.inference.stream.max-sequences");
        });
    }

    @Test
    void modelWithoutStepGraphServesPredictButStreamIsFailedPrecondition() {
        topic.publishServed("stream-old", 1, TinySurrogate.withOffset(-70f));
        topic.awaitLoaded("stream-old", 1);

        assertFails(List.of(openRequest("stream-old", "")), Status.Code.FAILED_PRECONDITION, "model 'stream-old' version 1 has no step graph");
        float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 10, 0.2, 1);
        assertThat(inference.predict(Spikes.denseRequest("stream-old", "", x).build()).getNeurons(0).getSomaMvCount()).isEqualTo(10);
    }

    @Test
    void streamKeepsItsVersionWhenANewerOneLoadsAndEvenWhenItsOwnIsDeleted() {
        serve("stream-versions", 1, TinySurrogate.withStepGraph(-70f));
        float restingV1 = -70f + TinySurrogate.V_SCALE * TinySurrogate.CONV_BIAS;
        float restingV2 = -60f + TinySurrogate.V_SCALE * TinySurrogate.CONV_BIAS;
        StreamClient old = stream();
        assertThat(old.open("stream-versions", "latest").getOpened().getVersion()).isEqualTo(1);
        old.start(1L);
        assertThat(old.step(List.of(1L), null, 0, 1).getSomaMv(0)).isCloseTo(restingV1, within(1e-4f));

        topic.publishServed("stream-versions", 2, TinySurrogate.withStepGraph(-60f));
        awaitWhileStepping(old, () -> topic.loadedVersions("stream-versions").contains(2), "version 2 loaded");
        assertThat(old.step(List.of(1L), null, 0, 2).getSomaMvList()).allSatisfy(v -> assertThat(v).isCloseTo(restingV1, within(1e-4f)));

        StreamClient fresh = stream();
        assertThat(fresh.open("stream-versions", "latest").getOpened().getVersion()).isEqualTo(2);
        fresh.start(1L);
        assertThat(fresh.step(List.of(1L), null, 0, 1).getSomaMv(0)).isCloseTo(restingV2, within(1e-4f));

        topic.publish("stream-versions/1", ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_DELETED)
                .setModel(ModelVersion.newBuilder().setModelName("stream-versions").setVersion(1)).build().toByteArray());
        awaitWhileStepping(old, () -> !topic.loadedVersions("stream-versions").contains(1), "version 1 unloaded");
        float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 5, 0.5, 3);
        assertThat(old.step(List.of(1L), x, 0, 5).getSomaMvCount()).isEqualTo(5);
        assertThat(old.end(1L).getEnded().getOpenSequences()).isZero();
    }

    @Test
    void pipelinedRequestsFarBeyondTheFlowControlWindowAreAllAnsweredInOrder() {
        serve("stream-pipeline", 1, TinySurrogate.withStepGraph(-70f));
        StreamClient stream = stream();
        stream.open("stream-pipeline", "1");
        stream.start(1L, 2L);
        float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 200, 0.3, 51);
        List<StreamRequest.Builder> steps = new ArrayList<>();
        for (int t = 0; t < 200; t += 2) {
            io.neurosurrogate.proto.v1.StreamStep.Builder step = io.neurosurrogate.proto.v1.StreamStep.newBuilder()
                    .addAllSequenceIds(List.of(1L, 2L)).setSteps(2);
            for (float[][] neuron : x) {
                step.addInputs(StreamClient.window(neuron, t, 2));
            }
            steps.add(StreamRequest.newBuilder().setStep(step));
        }
        assertThat(steps.size()).isGreaterThan(10 * StreamCall.IN_FLIGHT);
        List<StreamResponse> answers = stream.pipeline(steps);
        PredictResponse window = inference.predict(Spikes.sparseRequest("stream-pipeline", "1", x).build());
        for (int r = 0; r < answers.size(); r++) {
            assertThat(answers.get(r).getRequestId()).isEqualTo(answers.get(0).getRequestId() + r);
            StreamStepResult step = answers.get(r).getStep();
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 2; k++) {
                    assertThat((double) step.getSomaMv(n * 2 + k)).as("soma_mv[%d][%d]", n, 2 * r + k)
                            .isCloseTo(window.getNeurons(n).getSomaMv(2 * r + k), within(TOLERANCE));
                }
            }
        }
    }

    @Test
    void idleStreamIsEndedWithDeadlineExceeded() {
        serve("stream-idle", 1, TinySurrogate.withStepGraph(-70f));
        StreamClient stream = stream();
        stream.open("stream-idle", "");
        stream.start(1L, 2L);

        Status status = stream.awaitStatus(Duration.ofSeconds(15));

        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).contains("ns.inference.stream.idle-timeout");
    }

    private void serve(String model, int version, TinySurrogate tiny) {
        topic.publishServed(model, version, tiny);
        topic.awaitLoaded(model, version);
    }

    private StreamClient stream() {
        StreamClient stream = new StreamClient(channel);
        streams.add(stream);
        return stream;
    }

    /** Waits for {@code condition}, stepping the stream meanwhile so that the idle check leaves it open. */
    private static void awaitWhileStepping(StreamClient stream, BooleanSupplier condition, String what) {
        ModelTopic.await(() -> {
            stream.step(List.of(1L), null, 0, 1);
            return condition.getAsBoolean();
        }, what);
    }

    /** Sends all requests on a new stream: all but the last are answered; the last ends it with {@code code}. */
    private void assertFails(List<StreamRequest.Builder> requests, Status.Code code, String messagePart) {
        StreamClient stream = stream();
        for (int i = 0; i < requests.size() - 1; i++) {
            stream.send(requests.get(i).clone());
        }
        assertThatThrownBy(() -> stream.send(requests.get(requests.size() - 1).clone()))
                .isInstanceOfSatisfying(StreamFailed.class, e -> {
                    assertThat(e.status().getCode()).as(e.status().toString()).isEqualTo(code);
                    assertThat(e.status().getDescription()).contains(messagePart);
                });
    }

    private static void assertMatches(NeuronPrediction window, float[] prob, float[] soma, String what) {
        for (int t = 0; t < prob.length; t++) {
            assertThat((double) prob[t]).as("%s spike_prob[%d]", what, t).isCloseTo(window.getSpikeProb(t), within(TOLERANCE));
            assertThat((double) soma[t]).as("%s soma_mv[%d]", what, t).isCloseTo(window.getSomaMv(t), within(TOLERANCE));
        }
    }

    private static float[][] sliceFrom(float[][] neuron, int from) {
        float[][] out = new float[neuron.length][];
        for (int s = 0; s < neuron.length; s++) {
            out[s] = Arrays.copyOfRange(neuron[s], from, neuron[s].length);
        }
        return out;
    }

    private static StreamRequest.Builder openRequest(String model, String version) {
        return StreamRequest.newBuilder().setOpen(StreamOpen.newBuilder()
                .setModelName(model).setVersion(version));
    }

    private static StreamRequest.Builder startRequest(Long... ids) {
        return StreamRequest.newBuilder().setStart(StreamStart.newBuilder().addAllSequenceIds(List.of(ids)));
    }

    private static StreamRequest.Builder endRequest(Long... ids) {
        return StreamRequest.newBuilder().setEnd(StreamEnd.newBuilder().addAllSequenceIds(List.of(ids)));
    }

    private static StreamRequest.Builder stepRequest(int steps, Long... ids) {
        return StreamRequest.newBuilder().setStep(stepWith(steps, List.of(ids)));
    }

    private static StreamStep stepWith(int steps, List<Long> ids, SparseNeuronInput... inputs) {
        return StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps).addAllInputs(List.of(inputs)).build();
    }

    /** One synapse's spikes as a sequence's whole input. */
    private static SparseNeuronInput input(int synapse, int... bins) {
        SynapseSpikes.Builder s = SynapseSpikes.newBuilder().setSynapse(synapse);
        for (int b : bins) {
            s.addBins(b);
        }
        return SparseNeuronInput.newBuilder().addSynapses(s).build();
    }
}

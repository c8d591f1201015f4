package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.FakeStream;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream: one inference service call per caller's stream, requests checked, everything else passed through. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class StreamForwardingTest extends GatewayChannelPerTest {
    @InjectFakes
    Fakes fakes;

    @Test
    void requestsAndResponsesPassThroughInOrderWithTheirRequestIds() throws Exception {
        List<StreamRequest> sent = List.of(open(100, "iaf-1x1", ""), start(101, 1, 2, 3),
                step(102, 4, List.of(1L, 2L, 3L), List.of(spikes(0, 0, 3), spikes(99, 1), SparseNeuronInput.getDefaultInstance())),
                step(103, 2, List.of(2L), List.of(SparseNeuronInput.getDefaultInstance())), end(104, 1, 2, 3));
        StreamCaller caller = new StreamCaller(gateway.async()).send(sent.toArray(StreamRequest[]::new)).halfClose();

        List<StreamResponse> received = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            received.add(caller.next());
        }

        assertThat(caller.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(received).extracting(StreamResponse::getRequestId).containsExactly(100L, 101L, 102L, 103L, 104L);
        assertThat(received.get(0).getOpened().getModelName()).isEqualTo("iaf-1x1");
        assertThat(received.get(0).getOpened().getVersion()).isEqualTo(2);
        assertThat(received.get(0).getOpened().getSynapses()).isEqualTo(100);
        assertThat(received.get(1).getStarted().getOpenSequences()).isEqualTo(3);
        assertThat(received.get(2).getStep().getSpikeProbList()).containsExactly(1f, 2f, 3f, 4f, 2f, 3f, 4f, 5f, 3f, 4f, 5f, 6f);
        assertThat(received.get(3).getStep().getSpikeProbList()).containsExactly(2f, 3f);
        assertThat(received.get(4).getEnded().getOpenSequences()).isZero();
        assertThat(fakes.inference.streamOpenedBy(100).requests).isEqualTo(sent);
    }

    @Test
    void manyStepsSentWithoutWaitingAreAnsweredInOrder() throws Exception {
        int steps = 500;
        StreamCaller caller = new StreamCaller(gateway.async()).send(open(200, "iaf-1x1", "1"), start(201, 7));
        for (int i = 0; i < steps; i++) {
            caller.send(step(1000 + i, 3, List.of(7L), List.of(spikes(i % 100, i % 3))));
        }
        caller.halfClose();

        assertThat(caller.next().getOpened().getVersion()).isEqualTo(1);
        assertThat(caller.next().getRequestId()).isEqualTo(201);
        for (int i = 0; i < steps; i++) {
            StreamResponse response = caller.next();
            assertThat(response.getRequestId()).isEqualTo(1000 + i);
            assertThat(response.getStep().getSpikeProbList()).containsExactly(7f, 8f, 9f);
        }
        assertThat(caller.status().getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void aFirstRequestThatIsNotOpenIsRefused() throws Exception {
        StreamCaller caller = new StreamCaller(gateway.async()).send(start(300, 1));

        Status status = caller.status();

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("request 0 (request_id 300): the first request of a stream must be open, got start");
        assertNeverForwarded(300);
    }

    @Test
    void anOpenWithAnInvalidModelNameIsRefused() throws Exception {
        Status blank = new StreamCaller(gateway.async()).send(open(310, "", "")).status();
        Status path = new StreamCaller(gateway.async()).send(open(311, "../iaf", "")).status();

        assertThat(blank.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(blank.getDescription()).contains("open.model_name must match");
        assertThat(path.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(path.getDescription()).contains("open.model_name must match").contains("'../iaf'");
        assertNeverForwarded(310);
        assertNeverForwarded(311);
    }

    @Test
    void anOpenWithAnInvalidVersionIsRefused() throws Exception {
        Status status = new StreamCaller(gateway.async()).send(open(320, "iaf-1x1", "v2")).status();

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("open.version must be empty, 'latest', 'champion' or a positive number, got 'v2'");
        assertNeverForwarded(320);
    }

    @Test
    void anOpenWithAnUnknownPrecisionIsRefused() throws Exception {
        StreamRequest fp16 = open(325, "iaf-1x1", "").toBuilder().setOpen(open(325, "iaf-1x1", "").getOpen().toBuilder().setPrecision("fp16")).build();
        Status status = new StreamCaller(gateway.async()).send(fp16).status();

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("open.precision must be 'fp32' (the default) or 'int8', got 'fp16'");
        assertNeverForwarded(325);
    }

    @Test
    void aSecondOpenIsRefusedAndCancelsTheDownstreamCall() throws Exception {
        assertRefusedAfterOpen(330, open(331, "iaf-1x1", ""), "request 1 (request_id 331): a stream is opened only once, by its first request");
    }

    @Test
    void aRequestWithoutAKindIsRefused() throws Exception {
        assertRefusedAfterOpen(340, StreamRequest.newBuilder().setRequestId(341).build(),
                "request 1 (request_id 341): give one of open, start, step, end");
    }

    @Test
    void zeroStepsAreRefused() throws Exception {
        assertRefusedAfterOpen(350, step(351, 0, List.of(1L), List.of(SparseNeuronInput.getDefaultInstance())),
                "request 1 (request_id 351): step.steps must be in [1, 1000], got 0");
    }

    @Test
    void stepsOverTheConfiguredMaximumAreRefused() throws Exception {
        assertRefusedAfterOpen(360, step(361, 1001, List.of(1L), List.of(SparseNeuronInput.getDefaultInstance())),
                "request 1 (request_id 361): step.steps must be in [1, 1000], got 1001");
    }

    @Test
    void packedInputSpikesAreForwardedAsSent() throws Exception {
        // 2 sequences x 3 steps: sequence 1 on synapses 4 and 9 in step 2, sequence 2 on 0 in step 0
        StreamStep packed = StreamStep.newBuilder().addSequenceIds(1L).addSequenceIds(2L).setSteps(3)
                .setPacked(PackedSpikes.newBuilder().addAllCounts(List.of(0, 0, 2, 1, 0, 0)).setSynapseDeltas(ByteString.copyFrom(new byte[]{4, 5, 0}))).build();
        List<StreamRequest> sent = List.of(open(300, "iaf-1x1", ""), start(301, 1, 2),
                StreamRequest.newBuilder().setRequestId(302).setStep(packed).build());
        StreamCaller caller = new StreamCaller(gateway.async()).send(sent.toArray(StreamRequest[]::new)).halfClose();
        for (int i = 0; i < sent.size(); i++) {
            caller.next();
        }
        assertThat(caller.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(fakes.inference.streamOpenedBy(300).requests).isEqualTo(sent);
    }

    @Test
    void malformedPackedInputSpikesAreRefused() throws Exception {
        StreamStep.Builder step = StreamStep.newBuilder().addSequenceIds(1L).addSequenceIds(2L).setSteps(3);
        assertRefusedAfterOpen(304, StreamRequest.newBuilder().setRequestId(305).setStep(step.clone()
                        .setPacked(PackedSpikes.newBuilder().addAllCounts(List.of(0, 1, 0)).setSynapseDeltas(ByteString.copyFrom(new byte[]{4})))).build(),
                "request 1 (request_id 305): step.packed.counts has 3 entries, 2 neurons x 3 bins = 6 are needed ([neuron][bin], row-major),"
                        + " or none for no input spikes");
        assertRefusedAfterOpen(306, StreamRequest.newBuilder().setRequestId(307).setStep(step.clone()
                        .setPacked(PackedSpikes.newBuilder().addAllCounts(List.of(0, 0, 2, 0, 0, 0)).setSynapseDeltas(ByteString.copyFrom(new byte[]{4, 0})))).build(),
                "request 1 (request_id 307): step.packed.synapse_deltas: spike 1 (neuron 0, bin 2) has delta 0: a bin's synapses must be ascending, each at most once");
        assertRefusedAfterOpen(308, StreamRequest.newBuilder().setRequestId(309).setStep(step.clone()
                        .setPacked(PackedSpikes.getDefaultInstance()).addInputs(spikes(1, 0)).addInputs(spikes(2, 0))).build(),
                "request 1 (request_id 309): give step.inputs or step.packed, not both");
    }

    @Test
    void inputsThatAreNotOnePerSequenceAreRefused() throws Exception {
        assertRefusedAfterOpen(370, step(371, 5, List.of(1L, 2L), List.of(SparseNeuronInput.getDefaultInstance())),
                "request 1 (request_id 371): step.inputs has 1 entries, one per sequence is needed (2 sequence_ids), or none for no input spikes");
    }

    @Test
    void aNegativeSynapseIsRefused() throws Exception {
        assertRefusedAfterOpen(380, step(381, 5, List.of(1L), List.of(spikes(-1, 0))),
                "request 1 (request_id 381): step.inputs[0].synapses[0].synapse must be >= 0, got -1");
    }

    @Test
    void aNegativeBinOrABinPastTheStepsIsRefused() throws Exception {
        assertRefusedAfterOpen(390, step(391, 5, List.of(1L), List.of(spikes(3, 0, -2))),
                "request 1 (request_id 391): step.inputs[0].synapses[0].bins[1] must be in [0, 5) (relative to the request's first step), got -2");
        assertRefusedAfterOpen(392, step(393, 5, List.of(1L), List.of(spikes(3, 5))),
                "request 1 (request_id 393): step.inputs[0].synapses[0].bins[0] must be in [0, 5) (relative to the request's first step), got 5");
    }

    @Test
    void aRequestOverTheInboundLimitMidStreamEndsTheStreamAndCancelsTheDownstreamCall() throws Exception {
        SynapseSpikes.Builder many = SynapseSpikes.newBuilder().setSynapse(1);
        for (int i = 0; i < 1_000_000; i++) { // a bin takes 1 or 2 bytes
            many.addBins(i % 1000);
        }
        StreamCaller caller = new StreamCaller(gateway.async()).send(open(405, "iaf-1x1", ""));
        caller.next();
        FakeStream downstream = fakes.inference.streamOpenedBy(405);

        caller.send(step(406, 1000, List.of(1L), List.of(SparseNeuronInput.newBuilder().addSynapses(many).build())));

        // %test.quarkus.grpc.server.max-inbound-message-size=1048576. grpc-java's transport refuses the message and
        // resets the stream; the caller, whose response headers are out, sees CANCELLED rather than RESOURCE_EXHAUSTED.
        assertThat(caller.status().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
        assertThat(downstream.cancelled.await(10, TimeUnit.SECONDS)).as("downstream call cancelled").isTrue();
        assertThat(downstream.requests).extracting(StreamRequest::getRequestId).containsExactly(405L);
    }

    @Test
    void anUnknownModelIsTheInferenceServicesNotFound() throws Exception {
        Status status = new StreamCaller(gateway.async()).send(open(410, "missing-model", "")).status();

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("model 'missing-model' is not loaded");
    }

    @Test
    void aDownstreamStatusMidStreamPassesThroughAfterTheEarlierResponses() throws Exception {
        StreamCaller unknownSequence = new StreamCaller(gateway.async())
                .send(open(420, "iaf-1x1", ""), start(421, 1), step(422, 2, List.of(9L), List.of(SparseNeuronInput.getDefaultInstance())));
        StreamCaller tooMany = new StreamCaller(gateway.async()).send(open(430, "iaf-1x1", ""), start(431, 1, 2, 3, 4, 5));

        assertThat(unknownSequence.next().getRequestId()).isEqualTo(420);
        assertThat(unknownSequence.next().getRequestId()).isEqualTo(421);
        Status notFound = unknownSequence.status();
        assertThat(tooMany.next().getRequestId()).isEqualTo(430);
        Status exhausted = tooMany.status();

        assertThat(notFound.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(notFound.getDescription()).isEqualTo("sequence 9 is not open");
        assertThat(exhausted.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(exhausted.getDescription()).isEqualTo("5 sequences open, at most " + FakeStream.MAX_SEQUENCES);
    }

    @Test
    void cancellingTheCallerCancelsTheDownstreamCall() throws Exception {
        StreamCaller caller = new StreamCaller(gateway.async()).send(open(440, "iaf-1x1", ""), start(441, 1));
        caller.next();
        caller.next();
        FakeStream downstream = fakes.inference.streamOpenedBy(440);

        caller.cancel();

        assertThat(downstream.cancelled.await(10, TimeUnit.SECONDS)).as("downstream call cancelled").isTrue();
    }

    /** Opens a stream with {@code openId}, then sends {@code bad}: refused, downstream call cancelled, never forwarded. */
    private void assertRefusedAfterOpen(long openId, StreamRequest bad, String description) throws Exception {
        StreamCaller caller = new StreamCaller(gateway.async()).send(open(openId, "iaf-1x1", ""));
        assertThat(caller.next().getRequestId()).isEqualTo(openId);
        FakeStream downstream = fakes.inference.streamOpenedBy(openId);

        caller.send(bad);

        Status status = caller.status();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo(description);
        assertThat(downstream.cancelled.await(10, TimeUnit.SECONDS)).as("downstream call cancelled").isTrue();
        assertThat(downstream.requests).extracting(StreamRequest::getRequestId).containsExactly(openId);
    }

    /**
     * No Stream call of the inference service received {@code requestId}. A whole stream relayed after it
     * first, over the same connection, so that anything forwarded earlier has arrived.
     */
    private void assertNeverForwarded(long requestId) throws Exception {
        long barrier = requestId + 1_000_000;
        StreamCaller after = new StreamCaller(gateway.async()).send(open(barrier, "iaf-1x1", "")).halfClose();
        assertThat(after.next().getRequestId()).isEqualTo(barrier);
        assertThat(after.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(fakes.inference.streamed(requestId)).as("request_id " + requestId + " forwarded").isFalse();
    }

    static StreamRequest open(long id, String model, String version) {
        return StreamRequest.newBuilder().setRequestId(id).setOpen(StreamOpen.newBuilder().setModelName(model).setVersion(version)).build();
    }

    static StreamRequest start(long id, long... sequences) {
        StreamStart.Builder start = StreamStart.newBuilder();
        for (long s : sequences) {
            start.addSequenceIds(s);
        }
        return StreamRequest.newBuilder().setRequestId(id).setStart(start).build();
    }

    static StreamRequest step(long id, int steps, List<Long> sequences, List<SparseNeuronInput> inputs) {
        return StreamRequest.newBuilder().setRequestId(id)
                .setStep(StreamStep.newBuilder().addAllSequenceIds(sequences).setSteps(steps).addAllInputs(inputs)).build();
    }

    private static StreamRequest end(long id, long... sequences) {
        StreamEnd.Builder end = StreamEnd.newBuilder();
        for (long s : sequences) {
            end.addSequenceIds(s);
        }
        return StreamRequest.newBuilder().setRequestId(id).setEnd(end).build();
    }

    /** One neuron's input: spikes at {@code bins} on {@code synapse}. */
    private static SparseNeuronInput spikes(int synapse, int... bins) {
        SynapseSpikes.Builder spikes = SynapseSpikes.newBuilder().setSynapse(synapse);
        for (int b : bins) {
            spikes.addBins(b);
        }
        return SparseNeuronInput.newBuilder().addSynapses(spikes).build();
    }
}

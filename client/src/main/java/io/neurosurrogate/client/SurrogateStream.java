package io.neurosurrogate.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A blocking client of one stateful stream (the {@code Stream} rpc of the gateway or of an inference
 * service): open a model version, start sequences, advance them step by step, end them. One request
 * at a time, each answered before the next is sent ({@link #stepPipelined} keeps a few in flight for
 * input known in advance); an error status ends the stream and every later call throws it.
 */
public final class SurrogateStream implements AutoCloseable {
    private static final long TIMEOUT_S = 120;

    private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final ClientCallStreamObserver<StreamRequest> requests;
    private final StreamOpened opened;
    private long nextRequestId = 1;
    private StatusRuntimeException failure;
    private boolean closed;

    private SurrogateStream(Function<StreamObserver<StreamResponse>, StreamObserver<StreamRequest>> call, StreamOpen open) {
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<StreamRequest>[] holder = new ClientCallStreamObserver[1];
        call.apply(new ClientResponseObserver<StreamRequest, StreamResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamRequest> requestStream) {
                holder[0] = requestStream;
            }

            @Override
            public void onNext(StreamResponse value) {
                replies.add(value);
            }

            @Override
            public void onError(Throwable t) {
                replies.add(t instanceof StatusRuntimeException s ? s : Status.fromThrowable(t).asRuntimeException());
            }

            @Override
            public void onCompleted() {
                replies.add(Status.CANCELLED.withDescription("the server ended the stream").asRuntimeException());
            }
        });
        this.requests = holder[0];
        this.opened = send(StreamRequest.newBuilder().setOpen(open)).getOpened();
    }

    /** A stream through the gateway ({@code NeuroSurrogate.Stream}). */
    public static SurrogateStream viaGateway(Channel channel, String modelName, String version) {
        return viaGateway(channel, modelName, version, false);
    }

    /** A stream through the gateway, event-driven when asked ({@link #direct(Channel, String, String, boolean)}). */
    public static SurrogateStream viaGateway(Channel channel, String modelName, String version, boolean eventDriven) {
        return viaGateway(channel, open(modelName, version, eventDriven));
    }

    /** A stream through the gateway, opened with {@code open} (e.g. with a precision). */
    public static SurrogateStream viaGateway(Channel channel, StreamOpen open) {
        NeuroSurrogateGrpc.NeuroSurrogateStub stub = NeuroSurrogateGrpc.newStub(channel);
        return new SurrogateStream(stub::stream, open);
    }

    /** A stream straight to an inference service ({@code InferenceService.Stream}). */
    public static SurrogateStream direct(Channel channel, String modelName, String version) {
        return direct(channel, modelName, version, false);
    }

    /**
     * A stream straight to an inference service; with {@code eventDriven} the server computes the first
     * layer from the input spikes alone ({@code StreamOpen.event_driven}); opening then fails with
     * FAILED_PRECONDITION when the version has no events graph.
     */
    public static SurrogateStream direct(Channel channel, String modelName, String version, boolean eventDriven) {
        return direct(channel, open(modelName, version, eventDriven));
    }

    /** A stream straight to an inference service, opened with {@code open} (e.g. with a precision). */
    public static SurrogateStream direct(Channel channel, StreamOpen open) {
        InferenceServiceGrpc.InferenceServiceStub stub = InferenceServiceGrpc.newStub(channel);
        return new SurrogateStream(stub::stream, open);
    }

    private static StreamOpen open(String modelName, String version, boolean eventDriven) {
        return StreamOpen.newBuilder().setModelName(modelName).setVersion(version).setEventDriven(eventDriven).build();
    }

    /** What the server opened: model version, synapse count, spike threshold, sequence limit. */
    public StreamOpened opened() {
        return opened;
    }

    public void start(List<Long> sequenceIds) {
        send(StreamRequest.newBuilder().setStart(StreamStart.newBuilder().addAllSequenceIds(sequenceIds)));
    }

    /** Advances the sequences by {@code steps} 1 ms bins; {@code inputs} in sequence order, bins relative to the first step. */
    public StreamStepResult step(List<Long> sequenceIds, int steps, List<SparseNeuronInput> inputs) {
        return send(StreamRequest.newBuilder().setStep(StreamStep.newBuilder().addAllSequenceIds(sequenceIds).setSteps(steps)
                .addAllInputs(inputs))).getStep();
    }

    /**
     * Advances the sequences by {@code steps} 1 ms bins with input spikes in packed form (core
     * SpikePacking.Builder builds it: [sequence][bin] in sequenceIds order), the cheaper wire form.
     */
    public StreamStepResult step(List<Long> sequenceIds, int steps, PackedSpikes packed) {
        return send(StreamRequest.newBuilder().setStep(StreamStep.newBuilder().addAllSequenceIds(sequenceIds).setSteps(steps)
                .setPacked(packed))).getStep();
    }

    public void end(List<Long> sequenceIds) {
        send(StreamRequest.newBuilder().setEnd(StreamEnd.newBuilder().addAllSequenceIds(sequenceIds)));
    }

    /**
     * Advances the sequences through several requests sent back to back, at most {@code inFlight}
     * unanswered at a time, and returns the results in request order. For input known in advance (open
     * loop): encoding and sending one request overlaps the server's work on the one before. Request
     * {@code r} advances by {@code steps.get(r)} bins with {@code inputs.get(r)} (sequence order, bins
     * relative to its first step). The server answers a stream's requests in order; a failure ends the
     * stream as in {@link #step}.
     */
    public List<StreamStepResult> stepPipelined(List<Long> sequenceIds, List<Integer> steps, List<List<SparseNeuronInput>> inputs,
                                                int inFlight) {
        if (steps.size() != inputs.size()) {
            throw new IllegalArgumentException(steps.size() + " step counts for " + inputs.size() + " inputs");
        }
        List<StreamStep> requests = new ArrayList<>(steps.size());
        for (int r = 0; r < steps.size(); r++) {
            requests.add(StreamStep.newBuilder().addAllSequenceIds(sequenceIds).setSteps(steps.get(r)).addAllInputs(inputs.get(r)).build());
        }
        return stepPipelined(requests, inFlight);
    }

    /**
     * As {@link #stepPipelined(List, List, List, int)} for step requests built by the caller (e.g. with
     * packed input spikes): sent in order, at most {@code inFlight} unanswered, results in request order.
     */
    public List<StreamStepResult> stepPipelined(List<StreamStep> requests, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be >= 1, got " + inFlight);
        }
        List<StreamStepResult> results = new ArrayList<>(requests.size());
        ArrayDeque<Long> pending = new ArrayDeque<>();
        for (StreamStep request : requests) {
            if (pending.size() == inFlight) {
                results.add(await(pending.poll()).getStep());
            }
            pending.add(post(StreamRequest.newBuilder().setStep(request)));
        }
        while (!pending.isEmpty()) {
            results.add(await(pending.poll()).getStep());
        }
        return results;
    }

    private StreamResponse send(StreamRequest.Builder request) {
        return await(post(request));
    }

    /** Sends {@code request} with the next request id; returns the id. */
    private long post(StreamRequest.Builder request) {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("stream closed");
        }
        long id = nextRequestId++;
        requests.onNext(request.setRequestId(id).build());
        return id;
    }

    /** The next reply, which must answer request {@code id}. */
    private StreamResponse await(long id) {
        Object reply;
        try {
            reply = replies.poll(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
        if (reply == null) {
            requests.cancel("no reply", null);
            failure = Status.DEADLINE_EXCEEDED.withDescription("no reply to request " + id + " within " + TIMEOUT_S + " s").asRuntimeException();
            throw failure;
        }
        if (reply instanceof StatusRuntimeException e) {
            failure = e;
            throw e;
        }
        StreamResponse response = (StreamResponse) reply;
        if (response.getRequestId() != id) {
            requests.cancel("out of order", null);
            failure = Status.INTERNAL.withDescription("reply to request " + response.getRequestId() + " while waiting for " + id).asRuntimeException();
            throw failure;
        }
        return response;
    }

    /** Ends the call (half-close); the server frees the stream's sequences. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (failure == null) {
                requests.onCompleted();
            }
        }
    }
}

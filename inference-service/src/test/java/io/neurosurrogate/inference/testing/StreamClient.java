package io.neurosurrogate.inference.testing;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A co-simulation's side of InferenceService.Stream over a real channel: each call sends one request
 * and waits for its answer; a stream that ended with a status throws {@link StreamFailed}.
 */
public final class StreamClient implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final Object COMPLETED = new Object();

    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<StreamRequest> requests;
    private long nextRequestId = 1;

    public StreamClient(Channel channel) {
        requests = InferenceServiceGrpc.newStub(channel).stream(new StreamObserver<>() {
            @Override
            public void onNext(StreamResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                answers.add(COMPLETED);
            }
        });
    }

    /** The call ended with this status instead of answering. */
    public static final class StreamFailed extends RuntimeException {
        private final Status status;

        StreamFailed(Status status) {
            super(status.toString());
            this.status = status;
        }

        public Status status() {
            return status;
        }
    }

    public StreamResponse open(String model, String version) {
        return open(model, version, false);
    }

    public StreamResponse open(String model, String version, boolean eventDriven) {
        return send(StreamRequest.newBuilder().setOpen(StreamOpen.newBuilder().setModelName(model).setVersion(version)
                .setEventDriven(eventDriven)));
    }

    public StreamResponse start(Long... ids) {
        return send(StreamRequest.newBuilder().setStart(StreamStart.newBuilder().addAllSequenceIds(List.of(ids))));
    }

    public StreamResponse end(Long... ids) {
        return send(StreamRequest.newBuilder().setEnd(StreamEnd.newBuilder().addAllSequenceIds(List.of(ids))));
    }

    /**
     * Advances {@code ids} by {@code steps} bins of {@code spikes[i][synapse][from + t]} (null: no input).
     */
    public StreamStepResult step(List<Long> ids, float[][][] spikes, int from, int steps) {
        StreamStep.Builder step = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps);
        if (spikes != null) {
            for (float[][] neuron : spikes) {
                step.addInputs(window(neuron, from, steps));
            }
        }
        return send(StreamRequest.newBuilder().setStep(step)).getStep();
    }

    /** One sequence's sparse input for bins from .. from+steps-1, relative to from. */
    public static SparseNeuronInput window(float[][] neuron, int from, int steps) {
        SparseNeuronInput.Builder in = SparseNeuronInput.newBuilder();
        for (int s = 0; s < neuron.length; s++) {
            SynapseSpikes.Builder syn = SynapseSpikes.newBuilder().setSynapse(s);
            for (int t = 0; t < steps; t++) {
                if (neuron[s][from + t] != 0f) {
                    syn.addBins(t);
                }
            }
            if (syn.getBinsCount() > 0) {
                in.addSynapses(syn);
            }
        }
        return in.build();
    }

    /** The sequences' input for bins from .. from+steps-1 in packed form ([sequence][bin], relative to from). */
    public static PackedSpikes packed(float[][][] sequences, int from, int steps) {
        SpikePacking.Builder b = new SpikePacking.Builder(sequences.length, steps);
        for (int n = 0; n < sequences.length; n++) {
            for (int s = 0; s < sequences[n].length; s++) {
                for (int t = 0; t < steps; t++) {
                    if (sequences[n][s][from + t] != 0f) {
                        b.add(n, t, s);
                    }
                }
            }
        }
        return b.build();
    }

    /** Sends a request (its request_id set here) and returns its answer. */
    public StreamResponse send(StreamRequest.Builder request) {
        long id = nextRequestId++;
        requests.onNext(request.setRequestId(id).build());
        Object answer = next();
        if (answer instanceof StreamResponse response) {
            if (response.getRequestId() != id) {
                throw new AssertionError("answer to request " + response.getRequestId() + ", expected " + id);
            }
            return response;
        }
        if (answer instanceof Status status) {
            throw new StreamFailed(status);
        }
        throw new AssertionError("the stream completed instead of answering request " + id);
    }

    /**
     * Sends all {@code batch} requests at once (request ids set here), without waiting, then collects
     * as many answers: how a co-simulation pipelines its steps.
     */
    public List<StreamResponse> pipeline(List<StreamRequest.Builder> batch) {
        for (StreamRequest.Builder r : batch) {
            requests.onNext(r.setRequestId(nextRequestId++).build());
        }
        List<StreamResponse> out = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Object answer = next();
            if (!(answer instanceof StreamResponse response)) {
                throw new AssertionError("answer " + i + " of " + batch.size() + " was " + answer);
            }
            out.add(response);
        }
        return out;
    }

    /** Waits for the status that ends the call (without sending anything). */
    public Status awaitStatus(Duration timeout) {
        try {
            Object answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer instanceof Status status) {
                return status;
            }
            throw new AssertionError("expected the stream to end with a status, got " + answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Object next() {
        try {
            Object answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new AssertionError("no answer within " + ANSWER_TIMEOUT);
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Half-closes the call; the service answers with completion. */
    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the call already ended
        }
    }
}

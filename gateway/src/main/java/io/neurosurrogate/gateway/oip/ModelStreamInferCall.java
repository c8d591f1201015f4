package io.neurosurrogate.gateway.oip;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.neurosurrogate.gateway.routing.Downstream;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelInferResponse;
import io.neurosurrogate.proto.oip.ModelStreamInferResponse;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStep;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One ModelStreamInfer call (Triton's streaming extension): one response per request, in request order; a
 * request's failure is that response's {@code error_message} and the call goes on.
 *
 * <p>A request with a {@code sequence_id} advances that neuron by the request's time steps on a Stream of the
 * inference service, one Stream per model version addressed by this call, so that the neuron's convolution
 * state stays there between requests ({@code sequence_start} opens it, {@code sequence_end} forgets it after
 * the request). A request without one is a stateless window, as ModelInfer.
 *
 * <p>Requests are handled one after another on a serial executor (the model lookup may wait for the loaded-model
 * list), so that their steps reach the inference service in request order; responses come back as they complete
 * and leave in request order. At most {@link #IN_FLIGHT} requests are unanswered at any time: the caller's
 * messages are requested one by one as answers leave (and the caller reads them), so a fast caller cannot pile
 * up work or memory in the gateway.
 */
public final class ModelStreamInferCall implements StreamObserver<ModelInferRequest> {
    static final int IN_FLIGHT = 8;
    private static final long LOOKUP_TIMEOUT_SECONDS = 30;

    private final ServerCallStreamObserver<ModelStreamInferResponse> out;
    private final OpenInference inference;
    private final Downstream downstream;
    private final Executor serial;
    private final Context context;

    /** Unanswered requests in arrival order; guarded by this. */
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private int owedRequests;
    private boolean callerDone;
    private boolean finished;

    /** Model streams by addressed model/version; touched on the serial executor only. */
    private final Map<String, ModelStream> streams = new HashMap<>();
    /** Sequences whose model stream failed, with the reason; touched on the serial executor only. */
    private final Map<String, String> lost = new HashMap<>();

    public ModelStreamInferCall(ServerCallStreamObserver<ModelStreamInferResponse> out, OpenInference inference, Downstream downstream,
                                Executor worker) {
        this.out = out;
        this.inference = inference;
        this.downstream = downstream;
        this.serial = MoreExecutors.newSequentialExecutor(worker);
        this.context = Context.current();
        out.disableAutoRequest();
        out.setOnReadyHandler(this::pump);
        out.setOnCancelHandler(() -> serial.execute(this::cancelStreams));
        out.request(IN_FLIGHT);
    }

    /** A request's place in the answer order. */
    private static final class Slot {
        ModelStreamInferResponse answer;
    }

    @Override
    public void onNext(ModelInferRequest request) {
        Slot slot = new Slot();
        synchronized (this) {
            slots.add(slot);
        }
        serial.execute(context.wrap(() -> handle(request, slot)));
    }

    @Override
    public void onError(Throwable t) {
        serial.execute(this::cancelStreams);
    }

    @Override
    public void onCompleted() {
        serial.execute(() -> {
            // No more requests: let the model streams end once they have answered what is under way.
            for (ModelStream s : streams.values()) {
                s.halfClose();
            }
            synchronized (this) {
                callerDone = true;
                finishIfDone();
            }
        });
    }

    private void handle(ModelInferRequest request, Slot slot) {
        try {
            SequenceControl sequence = SequenceControl.of(request.getParametersMap());
            if (!sequence.present()) {
                follow(inference.infer(request), slot);
                return;
            }
            SurrogateSignature model = inference.resolve(request.getModelName(), request.getModelVersion())
                    .get(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            boolean eventDriven = SequenceControl.eventDriven(request.getParametersMap());
            String precision = SequenceControl.precision(request.getParametersMap());
            String streamKey = model.modelName() + "/" + model.version() + (eventDriven ? "/events" : "") + "/" + precision;
            ModelStream stream = streams.get(streamKey);
            if (stream == null || stream.failure != null) {
                if (stream != null) {
                    stream.forgetSequences();
                }
                stream = new ModelStream(model, eventDriven, precision);
                streams.put(streamKey, stream);
            }
            stream.submit(request, sequence, slot);
        } catch (Exception e) {
            answer(slot, error(e));
        }
    }

    private void follow(ListenableFuture<ModelInferResponse> result, Slot slot) {
        Futures.addCallback(result, new FutureCallback<>() {
            @Override
            public void onSuccess(ModelInferResponse response) {
                answer(slot, ModelStreamInferResponse.newBuilder().setInferResponse(response).build());
            }

            @Override
            public void onFailure(Throwable t) {
                answer(slot, error(t));
            }
        }, MoreExecutors.directExecutor());
    }

    private static ModelStreamInferResponse error(Throwable t) {
        StatusRuntimeException status = GrpcStatuses.toStatus(t, "gateway");
        return ModelStreamInferResponse.newBuilder().setErrorMessage(describe(status.getStatus())).build();
    }

    private static String describe(Status status) {
        return status.getCode() + ": " + (status.getDescription() == null ? "" : status.getDescription());
    }

    /** Records a request's answer, then sends every answer that is next in order. */
    private void answer(Slot slot, ModelStreamInferResponse response) {
        synchronized (this) {
            if (slot.answer != null || finished) {
                return;
            }
            slot.answer = response;
            while (!slots.isEmpty() && slots.peek().answer != null) {
                ModelStreamInferResponse next = slots.poll().answer;
                try {
                    out.onNext(next);
                } catch (RuntimeException e) {
                    // the caller went away; its cancellation handler cleans up
                }
                owedRequests++;
            }
            finishIfDone();
        }
        pump();
    }

    /** Asks the caller for as many requests as have been answered, while it reads what we send. */
    private synchronized void pump() {
        while (owedRequests > 0 && !finished && out.isReady()) {
            owedRequests--;
            out.request(1);
        }
    }

    private void finishIfDone() {
        if (callerDone && slots.isEmpty() && !finished) {
            finished = true;
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                // already cancelled
            }
        }
    }

    private void cancelStreams() {
        for (ModelStream s : streams.values()) {
            s.cancel();
        }
        streams.clear();
        synchronized (this) {
            finished = true;
        }
    }

    /**
     * The inference service Stream of one model version for this call: its open sequences (by the caller's
     * sequence key), and the steps waiting for their answer (by our request id).
     */
    private final class ModelStream implements ClientResponseObserver<StreamRequest, StreamResponse> {
        private final SurrogateSignature model;
        private final StreamObserver<StreamRequest> requests;
        private final Map<String, Long> open = new HashMap<>();
        private final Map<Long, Step> steps = new ConcurrentHashMap<>();
        private long nextRequestId = 1;
        private long nextSequenceId = 1;
        private volatile int maxSequences = -1;
        private volatile String failure;
        private ClientCallStreamObserver<StreamRequest> call;

        private record Step(Slot slot, ModelInferRequest request) {
        }

        ModelStream(SurrogateSignature model, boolean eventDriven, String precision) {
            this.model = model;
            // One replica for the stream's whole life: the sequences' state lives there. Callbacks on the transport thread.
            ClientCall<StreamRequest, StreamResponse> clientCall = downstream.newPinnedCall(InferenceServiceGrpc.getStreamMethod(),
                    CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor()));
            this.requests = ClientCalls.asyncBidiStreamingCall(clientCall, this);
            send(StreamRequest.newBuilder().setRequestId(nextRequestId++).setOpen(StreamOpen.newBuilder().setModelName(model.modelName())
                    .setVersion(Integer.toString(model.version())).setEventDriven(eventDriven).setPrecision(precision)));
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamRequest> requestStream) {
            this.call = requestStream;
        }

        void submit(ModelInferRequest request, SequenceControl sequence, Slot slot) {
            String key = sequence.key();
            SpikeTensor spikes = OpenInference.decode(request, model);
            if (spikes.batch() != 1) {
                throw DomainException.invalid("a sequence request carries one neuron: input '" + model.input() + "' shape [1, "
                        + model.synapses() + ", steps], not batch " + spikes.batch());
            }
            if (spikes.time() > inference.maxStepsPerRequest()) {
                throw DomainException.invalid("a sequence request advances at most " + inference.maxStepsPerRequest()
                        + " steps (1 ms bins); this one has " + spikes.time());
            }
            model.requestedOutputs(request);
            Long id = open.get(key);
            if (sequence.start()) {
                if (id != null) {
                    throw DomainException.invalid("sequence " + key + " is already started; end it (sequence_end) before starting it again");
                }
                if (maxSequences >= 0 && open.size() >= maxSequences) {
                    throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED, "this stream holds " + open.size()
                            + " open sequences of model '" + model.modelName() + "', its limit; end one first");
                }
                id = nextSequenceId++;
                open.put(key, id);
                lost.remove(key);
                send(StreamRequest.newBuilder().setRequestId(nextRequestId++).setStart(StreamStart.newBuilder().addSequenceIds(id)));
            } else if (id == null) {
                String why = lost.get(key);
                throw DomainException.invalid(why != null ? "sequence " + key + " was lost: " + why + "; start it again (sequence_start)"
                        : "sequence " + key + " is not started: its first request sets sequence_start=true");
            }
            long stepId = nextRequestId++;
            steps.put(stepId, new Step(slot, request));
            send(StreamRequest.newBuilder().setRequestId(stepId).setStep(StreamStep.newBuilder().addSequenceIds(id)
                    .setSteps(spikes.time()).setPacked(spikes.packed())));
            if (sequence.end()) {
                open.remove(key);
                send(StreamRequest.newBuilder().setRequestId(nextRequestId++).setEnd(StreamEnd.newBuilder().addSequenceIds(id)));
            }
            if (failure != null) {
                failPending(); // failed meanwhile: this step's answer will not come
            }
        }

        private void send(StreamRequest.Builder request) {
            if (failure == null) {
                requests.onNext(request.build());
            }
        }

        /** After a failure: the open sequences are lost, and a request for one says why. */
        void forgetSequences() {
            for (String key : open.keySet()) {
                lost.put(key, failure);
            }
            open.clear();
        }

        @Override
        public void onNext(StreamResponse response) {
            switch (response.getKindCase()) {
                case OPENED -> maxSequences = response.getOpened().getMaxSequences();
                case STEP -> {
                    Step step = steps.remove(response.getRequestId());
                    if (step != null) {
                        answer(step.slot(), ModelStreamInferResponse.newBuilder().setInferResponse(
                                InferResponses.steps(step.request(), model, model.version(), response.getStep())).build());
                    }
                }
                default -> {
                    // started / ended: nothing to tell the caller
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            Status status = downstream.translate(t).getStatus();
            failure = "the inference stream of model '" + model.modelName() + "' version " + model.version() + " ended: " + describe(status);
            failPending();
        }

        @Override
        public void onCompleted() {
            if (!steps.isEmpty()) {
                onError(Status.INTERNAL.withDescription("the inference service ended the stream with steps unanswered").asRuntimeException());
            }
        }

        private void failPending() {
            for (Long id : steps.keySet()) {
                Step step = steps.remove(id);
                if (step != null) {
                    answer(step.slot(), ModelStreamInferResponse.newBuilder().setErrorMessage(failure).build());
                }
            }
        }

        void halfClose() {
            if (failure == null) {
                requests.onCompleted();
            }
        }

        void cancel() {
            if (call != null) {
                call.cancel("the caller's ModelStreamInfer call ended", null);
            }
        }
    }
}

package io.neurosurrogate.gateway.fakes;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.validation.ServedModels;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * One InferenceService.Stream call of {@link FakeInference}: it records the requests it receives and answers
 * each in order. A step of n sequences x s steps answers spike_prob = sequence_id + step index and soma_mv -70;
 * a model that is not loaded is NOT_FOUND, a step of a sequence that is not open NOT_FOUND, more than
 * {@link #MAX_SEQUENCES} open sequences RESOURCE_EXHAUSTED, each ending the call as the real service does.
 */
public final class FakeStream implements StreamObserver<StreamRequest> {
    public static final int MAX_SEQUENCES = 4;

    public final List<StreamRequest> requests = new CopyOnWriteArrayList<>();
    /** Counted down when the gateway cancels the call. */
    public final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<ModelVersion> loaded;
    private final ServerCallStreamObserver<StreamResponse> out;
    private final Set<Long> open = new HashSet<>();
    private boolean failed;

    FakeStream(List<ModelVersion> loaded, ServerCallStreamObserver<StreamResponse> out) {
        this.loaded = loaded;
        this.out = out;
        out.setOnCancelHandler(cancelled::countDown);
    }

    @Override
    public void onNext(StreamRequest request) {
        requests.add(request);
        if (failed) {
            return;
        }
        StreamResponse.Builder response = StreamResponse.newBuilder().setRequestId(request.getRequestId());
        switch (request.getKindCase()) {
            case OPEN -> {
                ModelVersion model = find(request.getOpen());
                if (model == null) {
                    fail(Status.NOT_FOUND.withDescription("model '" + request.getOpen().getModelName() + "' is not loaded"));
                    return;
                }
                response.getOpenedBuilder().setModelName(model.getModelName()).setVersion(model.getVersion())
                        .setSynapses(model.getCard().getNExc() + model.getCard().getNInh()).setSpikeThreshold(0.5)
                        .setReceptiveFieldMs(100).setMaxSequences(MAX_SEQUENCES);
            }
            case START -> {
                open.addAll(request.getStart().getSequenceIdsList());
                if (open.size() > MAX_SEQUENCES) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription(open.size() + " sequences open, at most " + MAX_SEQUENCES));
                    return;
                }
                response.getStartedBuilder().setOpenSequences(open.size());
            }
            case STEP -> {
                StreamStep step = request.getStep();
                for (long id : step.getSequenceIdsList()) {
                    if (!open.contains(id)) {
                        fail(Status.NOT_FOUND.withDescription("sequence " + id + " is not open"));
                        return;
                    }
                }
                response.setStep(result(step));
            }
            case END -> {
                open.removeAll(request.getEnd().getSequenceIdsList());
                response.getEndedBuilder().setOpenSequences(open.size());
            }
            default -> {
                fail(Status.INVALID_ARGUMENT.withDescription("request " + request.getRequestId() + " has no kind"));
                return;
            }
        }
        out.onNext(response.build());
    }

    @Override
    public void onError(Throwable t) {
        // the gateway cancelled; the handler counts it
    }

    @Override
    public void onCompleted() {
        if (!failed) {
            out.onCompleted();
        }
    }

    /** spike_prob[sequence][step] = sequence_id + step. */
    private static StreamStepResult result(StreamStep step) {
        StreamStepResult.Builder result = StreamStepResult.newBuilder().addAllSequenceIds(step.getSequenceIdsList()).setSteps(step.getSteps());
        for (long id : step.getSequenceIdsList()) {
            for (int t = 0; t < step.getSteps(); t++) {
                result.addSpikeProb(id + t).addSomaMv(-70f);
            }
            result.addSpikeCounts(0);
        }
        return result.build();
    }

    private ModelVersion find(StreamOpen request) {
        PredictRequest asPredict = PredictRequest.newBuilder().setModelName(request.getModelName()).setVersion(request.getVersion()).build();
        return ServedModels.find(asPredict, loaded).orElse(null);
    }

    private void fail(Status status) {
        failed = true;
        out.onError(status.asRuntimeException());
    }
}

package io.neurosurrogate.inference.grpc;

import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.inference.metrics.InferenceMetrics;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.Predictor;
import io.neurosurrogate.inference.runtime.StreamSessions;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/**
 * InferenceService over gRPC. Predict and Stream run ONNX Runtime, so both are kept off the event loop
 * (Stream on the stream workers, one request at a time per call: {@link StreamCall}).
 */
@GrpcService
public class InferenceGrpcService extends InferenceServiceGrpc.InferenceServiceImplBase {
    @Inject
    Predictor predictor;
    @Inject
    ModelRegistry registry;
    @Inject
    StreamSessions streams;
    @Inject
    InferenceMetrics metrics;

    /**
     * The wait for a worker thread happens in Quarkus before this handler runs, out of our sight: the
     * queue time recorded for Predict is only what this handler adds before the work starts (about 0).
     */
    @Override
    @Blocking
    public void predict(PredictRequest request, StreamObserver<PredictResponse> response) {
        metrics.started(InferenceMetrics.Method.PREDICT, System.nanoTime());
        PredictResponse result;
        try {
            result = predictor.predict(request);
        } catch (Throwable t) {
            StatusRuntimeException status = GrpcStatuses.toStatus(t, "InferenceService");
            metrics.request(InferenceMetrics.Method.PREDICT, status.getStatus().getCode());
            response.onError(status);
            return;
        }
        metrics.computed(InferenceMetrics.Method.PREDICT, result.getNeuronsCount(), result.getComputeMs());
        metrics.request(InferenceMetrics.Method.PREDICT, Status.Code.OK);
        response.onNext(result);
        response.onCompleted();
    }

    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> response) {
        return new StreamCall(response, registry, streams, metrics);
    }

    @Override
    public void listLoadedModels(ListLoadedModelsRequest request, StreamObserver<ListLoadedModelsResponse> response) {
        try {
            ListLoadedModelsResponse result = ListLoadedModelsResponse.newBuilder().addAllModels(registry.loaded()).build();
            response.onNext(result);
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "InferenceService"));
        }
    }
}

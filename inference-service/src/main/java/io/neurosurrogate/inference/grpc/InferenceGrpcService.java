package io.neurosurrogate.inference.grpc;

import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.grpc.stub.StreamObserver;
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

    @Override
    @Blocking
    public void predict(PredictRequest request, StreamObserver<PredictResponse> response) {
        PredictResponse result;
        try {
            result = predictor.predict(request);
        } catch (Throwable t) {
            response.onError(GrpcStatuses.toStatus(t, "InferenceService"));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> response) {
        return new StreamCall(response, registry, streams);
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

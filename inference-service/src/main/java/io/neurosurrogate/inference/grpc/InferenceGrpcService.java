package io.neurosurrogate.inference.grpc;

import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.Predictor;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** InferenceService over gRPC. Predict runs ONNX Runtime, so it is kept off the event loop. */
@GrpcService
public class InferenceGrpcService extends InferenceServiceGrpc.InferenceServiceImplBase {
    @Inject
    Predictor predictor;
    @Inject
    ModelRegistry registry;

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

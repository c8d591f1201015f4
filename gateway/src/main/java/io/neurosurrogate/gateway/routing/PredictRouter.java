package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.gateway.validation.ServedModels;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Predict: structural checks, then the addressed model must be loaded (NOT_FOUND otherwise) and take the
 * request's synapse count, and only then is the request forwarded to the inference service.
 */
@Singleton
public class PredictRouter {
    private final Downstream inference;
    private final LoadedModels loadedModels;
    private final long minRefreshNanos;

    @Inject
    public PredictRouter(Downstreams downstreams, LoadedModels loadedModels, GatewayConfig config) {
        this.inference = downstreams.inference();
        this.loadedModels = loadedModels;
        this.minRefreshNanos = config.loadedModelsMinRefresh().toNanos();
    }

    /** Call in the caller's gRPC context: its deadline and cancellation follow the downstream calls. */
    public ListenableFuture<PredictResponse> predict(PredictRequest request) {
        PredictRequests.validate(request);
        Executor inCallersContext = Context.current().fixedContextExecutor(MoreExecutors.directExecutor());
        return Futures.transformAsync(resolve(request), m -> {
            ServedModels.requireCompatible(request, m);
            return inference.unary(InferenceServiceGrpc.getPredictMethod(), request);
        }, inCallersContext);
    }

    /**
     * The loaded version a request's model_name and version address (NOT_FOUND naming what is loaded otherwise),
     * from the cached list of loaded models. Call in the caller's gRPC context.
     */
    public ListenableFuture<ModelVersion> resolve(PredictRequest address) {
        Executor inCallersContext = Context.current().fixedContextExecutor(MoreExecutors.directExecutor());
        return Futures.transformAsync(loadedModels.current(), loaded -> resolve(address, loaded), inCallersContext);
    }

    private ListenableFuture<ModelVersion> resolve(PredictRequest request, List<ModelVersion> cached) {
        Optional<ModelVersion> hit = ServedModels.find(request, cached);
        if (hit.isPresent()) {
            return Futures.immediateFuture(hit.get());
        }
        // Perhaps loaded since the list was fetched: look again unless the list is very recent.
        return Futures.transform(loadedModels.youngerThan(minRefreshNanos),
                loaded -> ServedModels.find(request, loaded).orElseThrow(() -> ServedModels.notLoaded(request, loaded)),
                MoreExecutors.directExecutor());
    }
}

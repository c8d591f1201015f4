package io.neurosurrogate.gateway.grpc;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.oip.ModelStreamInferCall;
import io.neurosurrogate.gateway.oip.OpenInference;
import io.neurosurrogate.gateway.routing.Downstream;
import io.neurosurrogate.gateway.routing.Downstreams;
import io.neurosurrogate.proto.oip.GRPCInferenceServiceGrpc;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelInferResponse;
import io.neurosurrogate.proto.oip.ModelMetadataRequest;
import io.neurosurrogate.proto.oip.ModelMetadataResponse;
import io.neurosurrogate.proto.oip.ModelReadyRequest;
import io.neurosurrogate.proto.oip.ModelReadyResponse;
import io.neurosurrogate.proto.oip.ModelStreamInferResponse;
import io.neurosurrogate.proto.oip.ServerLiveRequest;
import io.neurosurrogate.proto.oip.ServerLiveResponse;
import io.neurosurrogate.proto.oip.ServerMetadataRequest;
import io.neurosurrogate.proto.oip.ServerMetadataResponse;
import io.neurosurrogate.proto.oip.ServerReadyRequest;
import io.neurosurrogate.proto.oip.ServerReadyResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.function.Function;

/**
 * The Open Inference Protocol v2 (service inference.GRPCInferenceService), so that standard inference clients
 * (Triton's, KServe's) call surrogates unchanged; the mapping lives in {@link io.neurosurrogate.gateway.oip}.
 * Requests are parsed strictly, as the project's own API is ({@link StrictRequestParsing}).
 */
@GrpcService
public class OpenInferenceEndpoint implements GRPCInferenceServiceGrpc.AsyncService, BindableService {
    static final String SERVER_NAME = "neurosurrogate";

    private final OpenInference inference;
    private final Downstream downstream;
    private final String serverVersion;

    @Inject
    public OpenInferenceEndpoint(OpenInference inference, Downstreams downstreams,
                                 @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String serverVersion) {
        this.inference = inference;
        this.downstream = downstreams.inference();
        this.serverVersion = serverVersion;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return StrictRequestParsing.apply(GRPCInferenceServiceGrpc.bindService(this));
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        Replies.unary(out, () -> Futures.immediateFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        Replies.unary(out, () -> map(inference.serverReady(), ready -> ServerReadyResponse.newBuilder().setReady(ready).build()));
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        Replies.unary(out, () -> map(inference.modelReady(request.getName(), request.getVersion()),
                ready -> ModelReadyResponse.newBuilder().setReady(ready).build()));
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        Replies.unary(out, () -> Futures.immediateFuture(ServerMetadataResponse.newBuilder().setName(SERVER_NAME).setVersion(serverVersion)
                .addExtensions("sequence").addExtensions("parameters").build()));
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        Replies.unary(out, () -> inference.metadata(request.getName(), request.getVersion()));
    }

    /** Decoding a large input tensor takes a while: off the event loop, in the caller's context (deadline). */
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        Infrastructure.getDefaultWorkerPool().execute(Context.current().wrap(() -> Replies.unary(out, () -> inference.infer(request))));
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        return new ModelStreamInferCall((ServerCallStreamObserver<ModelStreamInferResponse>) out, inference, downstream,
                Infrastructure.getDefaultWorkerPool());
    }

    private static <T, R> ListenableFuture<R> map(ListenableFuture<T> future, Function<T, R> f) {
        return Futures.transform(future, f::apply, MoreExecutors.directExecutor());
    }
}

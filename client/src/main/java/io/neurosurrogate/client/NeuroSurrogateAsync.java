package io.neurosurrogate.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The non-blocking side of {@link NeuroSurrogateClient} ({@link NeuroSurrogateClient#async()}): the same calls, each
 * returning a {@link CompletableFuture} that completes on a gRPC thread (chain with the {@code ...Async} variants to
 * move work elsewhere) or fails with the gateway's {@link io.grpc.StatusRuntimeException}. Many calls may be in flight
 * on the one channel at once, e.g. Predict requests of several neuron batches.
 */
public final class NeuroSurrogateAsync {
    private final NeuroSurrogateGrpc.NeuroSurrogateFutureStub futures;
    private final NeuroSurrogateGrpc.NeuroSurrogateStub streams;

    NeuroSurrogateAsync(Channel channel) {
        this.futures = NeuroSurrogateGrpc.newFutureStub(channel);
        this.streams = NeuroSurrogateGrpc.newStub(channel);
    }

    public CompletableFuture<PredictResponse> predict(PredictRequest request) {
        return adapt(futures.predict(request), Function.identity());
    }

    /** Model versions known to the trainers, with whether inference has loaded them. */
    public CompletableFuture<List<ModelVersion>> listModels() {
        return adapt(futures.listModels(ListModelsRequest.getDefaultInstance()), r -> r.getModelsList());
    }

    public CompletableFuture<Campaign> startCampaign(CampaignSpec spec) {
        return adapt(futures.startCampaign(spec), Function.identity());
    }

    public CompletableFuture<Campaign> getCampaign(String campaignId) {
        return adapt(futures.getCampaign(GetCampaignRequest.newBuilder().setCampaignId(campaignId).build()), Function.identity());
    }

    public CompletableFuture<SimulateResponse> simulate(SimulateRequest request) {
        return adapt(futures.simulate(request), Function.identity());
    }

    public CompletableFuture<TrainingJob> startTraining(TrainingJobSpec spec) {
        return adapt(futures.startTraining(spec), Function.identity());
    }

    public CompletableFuture<TrainingJob> getTrainingJob(String jobId) {
        return adapt(futures.getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId(jobId).build()), Function.identity());
    }

    public CompletableFuture<TrainingJob> cancelTraining(String jobId) {
        return adapt(futures.cancelTraining(GetTrainingJobRequest.newBuilder().setJobId(jobId).build()), Function.identity());
    }

    /** Training progress as it happens, to {@code observer} (on a gRPC thread), until the job ends or the call fails. */
    public void watchTraining(String jobId, StreamObserver<TrainingProgress> observer) {
        streams.watchTraining(GetTrainingJobRequest.newBuilder().setJobId(jobId).build(), observer);
    }

    private static <T, R> CompletableFuture<R> adapt(ListenableFuture<T> call, Function<T, R> map) {
        CompletableFuture<R> out = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                call.cancel(mayInterruptIfRunning); // cancels the gRPC call too
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Futures.addCallback(call, new FutureCallback<T>() {
            @Override
            public void onSuccess(T result) {
                try {
                    out.complete(map.apply(result));
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Throwable t) {
                out.completeExceptionally(t);
            }
        }, MoreExecutors.directExecutor());
        return out;
    }
}

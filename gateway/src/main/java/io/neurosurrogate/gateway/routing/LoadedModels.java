package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The inference service's loaded models, fetched with ListLoadedModels and reused for a short while so
 * that every Predict does not cost a second round trip. Concurrent callers share one fetch; a failed
 * fetch is not kept, so the next caller tries again.
 */
@Singleton
public class LoadedModels {
    private final Downstream inference;
    private final long ttlNanos;
    private final AtomicReference<Fetch> latest = new AtomicReference<>();

    private record Fetch(ListenableFuture<List<ModelVersion>> models, long startedAtNanos) {
    }

    @Inject
    public LoadedModels(Downstreams downstreams, GatewayConfig config) {
        this(downstreams.inference(), config.loadedModelsTtl().toNanos());
    }

    LoadedModels(Downstream inference, long ttlNanos) {
        this.inference = inference;
        this.ttlNanos = ttlNanos;
    }

    /** The cached list when it is younger than the TTL, otherwise a fresh one. */
    public ListenableFuture<List<ModelVersion>> current() {
        return youngerThan(ttlNanos);
    }

    /** The cached list when it is younger than {@code maxAgeNanos} (0 = always fetch anew). */
    public ListenableFuture<List<ModelVersion>> youngerThan(long maxAgeNanos) {
        while (true) {
            Fetch seen = latest.get();
            long now = System.nanoTime();
            if (seen != null && now - seen.startedAtNanos() < maxAgeNanos && !failed(seen)) {
                return seen.models();
            }
            if (seen != null && !seen.models().isDone() && maxAgeNanos > 0) {
                return seen.models(); // a fetch is under way: share it
            }
            Fetch fresh = new Fetch(fetch(), now);
            if (latest.compareAndSet(seen, fresh)) {
                return fresh.models();
            }
            fresh.models().cancel(false);
        }
    }

    private ListenableFuture<List<ModelVersion>> fetch() {
        // A shared fetch must not die with (or inherit the deadline of) the caller whose request started it.
        Context previous = Context.ROOT.attach();
        try {
            return Futures.transform(
                    inference.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()),
                    ListLoadedModelsResponse::getModelsList, MoreExecutors.directExecutor());
        } finally {
            Context.ROOT.detach(previous);
        }
    }

    private static boolean failed(Fetch fetch) {
        if (!fetch.models().isDone()) {
            return false;
        }
        try {
            Futures.getDone(fetch.models());
            return false;
        } catch (Exception e) {
            return true;
        }
    }
}

package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ListModels: every trained version (the trainers' model stores), each marked {@code loaded} when an
 * inference service serves it. An unreachable inference service serves nothing, so the list still comes
 * back, with every version unloaded; an unreachable trainer is an error (with several replicas: when none
 * answers, see {@link TrainerReplicas}).
 */
@Singleton
public class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    private final TrainerReplicas trainers;
    private final LoadedModels loadedModels;

    @Inject
    public ModelCatalog(TrainerReplicas trainers, LoadedModels loadedModels) {
        this.trainers = trainers;
        this.loadedModels = loadedModels;
    }

    public ListenableFuture<ListModelsResponse> list(ListModelsRequest request) {
        ListenableFuture<ListModelsResponse> trained = trainers.listModels(request);
        ListenableFuture<Set<String>> served = Futures.catching(
                Futures.transform(loadedModels.youngerThan(0), ModelCatalog::keys, MoreExecutors.directExecutor()),
                Exception.class, e -> {
                    LOG.warnf("listing models without loaded flags: %s", e.getMessage());
                    return Set.of();
                }, MoreExecutors.directExecutor());
        return Futures.transformAsync(served,
                loaded -> Futures.transform(trained, models -> markLoaded(models, loaded), MoreExecutors.directExecutor()),
                MoreExecutors.directExecutor());
    }

    private static ListModelsResponse markLoaded(ListModelsResponse trained, Set<String> served) {
        ListModelsResponse.Builder out = trained.toBuilder();
        for (ModelVersion.Builder m : out.getModelsBuilderList()) {
            m.setLoaded(served.contains(key(m.getModelName(), m.getVersion())));
        }
        return out.build();
    }

    private static Set<String> keys(List<ModelVersion> models) {
        Set<String> keys = new HashSet<>();
        for (ModelVersion m : models) {
            keys.add(key(m.getModelName(), m.getVersion()));
        }
        return keys;
    }

    private static String key(String model, int version) {
        return model + "/" + version;
    }
}

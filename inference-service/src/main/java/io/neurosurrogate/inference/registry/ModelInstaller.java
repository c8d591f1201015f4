package io.neurosurrogate.inference.registry;

import io.neurosurrogate.inference.InferenceConfig;
import io.neurosurrogate.inference.registry.ArtifactFetcher.ArtifactException;
import io.neurosurrogate.inference.runtime.LoadedModel;
import io.neurosurrogate.inference.runtime.OnnxModelLoader;
import io.neurosurrogate.inference.runtime.OnnxModelLoader.InvalidModelException;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Applies model events to the {@link ModelRegistry}: CREATED fetches, verifies, loads and registers
 * a version, with its step graph when the card names one (retried with exponential backoff); DELETED unloads it. All work runs on one installer
 * thread, in event order, so a DELETED that arrives while a CREATED is still being retried wins, and
 * the event follower never blocks on a slow trainer.
 */
@Singleton
public class ModelInstaller {
    private static final Logger LOG = Logger.getLogger(ModelInstaller.class);

    private final ArtifactFetcher fetcher;
    private final OnnxModelLoader loader;
    private final ModelRegistry registry;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService worker;
    /** Latest event per key "model/version"; an attempt whose generation is stale is dropped. Installer thread only. */
    private final Map<String, Long> generations = new HashMap<>();
    private long generation;
    /** Last failure per key, for operators and tests; cleared when the version loads. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    @Inject
    public ModelInstaller(ArtifactFetcher fetcher, OnnxModelLoader loader, ModelRegistry registry, InferenceConfig config) {
        this(fetcher, loader, registry, config.fetch().maxAttempts(), config.fetch().initialBackoff(), config.fetch().maxBackoff());
    }

    public ModelInstaller(ArtifactFetcher fetcher, OnnxModelLoader loader, ModelRegistry registry,
                          int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.fetcher = fetcher;
        this.loader = loader;
        this.registry = registry;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "model-installer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
    }

    /** Queues an event from ns.models.v1; it is applied in the trace context current now (the event's). */
    public void accept(ModelEvent event) {
        worker.execute(Context.current().wrap(() -> guarded(() -> apply(event))));
    }

    /** Queues a tombstone (null value) for key "model/version": the version is gone. */
    public void acceptTombstone(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash <= 0) {
            LOG.warnf("ignoring a tombstone with key '%s' (expected 'model/version')", key);
            return;
        }
        try {
            int version = Integer.parseInt(key.substring(slash + 1));
            ModelVersion v = ModelVersion.newBuilder().setModelName(key.substring(0, slash)).setVersion(version).build();
            accept(ModelEvent.newBuilder().setKind(ModelEvent.Kind.KIND_DELETED).setModel(v).build());
        } catch (NumberFormatException e) {
            LOG.warnf("ignoring a tombstone with key '%s' (version is not a number)", key);
        }
    }

    /** The last reason this version failed to install, if it did and has not loaded since. */
    public Optional<String> lastFailure(String model, int version) {
        return Optional.ofNullable(failures.get(key(model, version)));
    }

    private void apply(ModelEvent event) {
        ModelVersion v = event.getModel();
        String key = key(v.getModelName(), v.getVersion());
        switch (event.getKind()) {
            case KIND_CREATED -> {
                generations.put(key, ++generation);
                Optional<LoadedModel> loaded = registry.find(v.getModelName(), v.getVersion());
                if (loaded.isPresent() && loaded.get().sha256().equalsIgnoreCase(v.getSha256())) {
                    LOG.debugf("%s is already loaded with sha256 %s", key, v.getSha256());
                    return;
                }
                attempt(v, generation, 1);
            }
            case KIND_DELETED -> {
                generations.put(key, ++generation);
                failures.remove(key);
                if (registry.unload(v.getModelName(), v.getVersion())) {
                    LOG.infof("unloaded model '%s' version %d (deleted)", v.getModelName(), v.getVersion());
                }
            }
            default -> LOG.warnf("ignoring model event for %s with kind %s", key, event.getKind());
        }
    }

    private void attempt(ModelVersion v, long gen, int attempt) {
        String key = key(v.getModelName(), v.getVersion());
        if (generations.getOrDefault(key, -1L) != gen) {
            return; // a newer event for this version took over
        }
        try {
            Path onnx = fetcher.fetch(v);
            String stepFile = v.getCard().getStepGraphFile();
            Path step = stepFile.isEmpty() ? null : fetcher.fetchFile(v, stepFile);
            String eventsFile = v.getCard().getEventsGraphFile();
            Path events = eventsFile.isEmpty() ? null : fetcher.fetchFile(v, eventsFile);
            LoadedModel model = loader.load(onnx, step, events, v);
            registry.register(model);
            failures.remove(key);
            LOG.infof("loaded model '%s' version %d (%d synapses, sha256 %s, spike threshold %.4f, %s)",
                    v.getModelName(), v.getVersion(), model.synapses(), v.getSha256(), model.spikeThreshold(),
                    (model.hasStepGraph() ? "step graph " + v.getCard().getStepGraphFile() : "no step graph")
                            + (model.hasEventGraph() ? ", events graph " + v.getCard().getEventsGraphFile() : ""));
        } catch (ArtifactException | InvalidModelException | RuntimeException e) {
            if (e instanceof InvalidModelException) {
                discardCached(v); // verified but unusable: refetch rather than trust it next time
            }
            failures.put(key, e.getMessage() == null ? e.toString() : e.getMessage());
            if (attempt >= maxAttempts) {
                LOG.errorf(e, "giving up on model '%s' version %d after %d attempts; it is not served: %s",
                        v.getModelName(), v.getVersion(), attempt, e.getMessage());
                return;
            }
            long delay = backoffMillis(attempt);
            LOG.warnf("model '%s' version %d: attempt %d/%d failed (%s); retrying in %d ms",
                    v.getModelName(), v.getVersion(), attempt, maxAttempts, e.getMessage(), delay);
            worker.schedule(() -> guarded(() -> attempt(v, gen, attempt + 1)), delay, TimeUnit.MILLISECONDS);
        }
    }

    private long backoffMillis(int attempt) {
        long base = Math.max(1, initialBackoff.toMillis());
        long delay = base << Math.min(attempt - 1, 20);
        return Math.min(delay, Math.max(base, maxBackoff.toMillis()));
    }

    private void discardCached(ModelVersion v) {
        try {
            Files.deleteIfExists(fetcher.cachedPath(v));
            String stepFile = v.getCard().getStepGraphFile();
            if (!stepFile.isEmpty()) {
                Files.deleteIfExists(fetcher.cachedFile(v, stepFile));
            }
            String eventsFile = v.getCard().getEventsGraphFile();
            if (!eventsFile.isEmpty()) {
                Files.deleteIfExists(fetcher.cachedFile(v, eventsFile));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("could not remove the cached artifact of %s: %s", key(v.getModelName(), v.getVersion()), e.getMessage());
        }
    }

    /** The installer thread must survive anything a task throws. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.error("model installer task failed", t);
        }
    }

    private static String key(String model, int version) {
        return model + "/" + version;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}

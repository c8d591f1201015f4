package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.kafka.ModelEventPublisher;
import io.neurosurrogate.trainer.ml.SimulationSource;
import io.neurosurrogate.trainer.ml.SurrogateTrainer;
import io.neurosurrogate.trainer.ml.TrainedModel;
import io.neurosurrogate.trainer.ml.TrainingListener;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.neurosurrogate.trainer.store.JobStore;
import io.neurosurrogate.trainer.store.ModelStore;
import io.quarkus.runtime.LaunchMode;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Runs one job to its end on the calling (worker) thread: wait until the dataset holds enough
 * complete simulations, train (checkpointing into the job's work directory, and resuming from it
 * when the job ran before a restart), store the ONNX and its report files as the model's next
 * version, announce it on {@code ns.models.v1}, and finish SUCCEEDED. A job whose model is already
 * stored (the trainer stopped between storing and finishing) is only announced and finished.
 * Every failure ends the job FAILED with its message; a cancel by request ends it CANCELLED; a
 * shutdown stops it without ending it on disk, so it resumes after the restart. Nothing escapes to
 * the worker.
 */
@Singleton
public class TrainingJobRunner {
    private static final Logger LOG = Logger.getLogger(TrainingJobRunner.class);
    /** A train/validation/test split needs at least one simulation of each. */
    static final int MIN_SIMULATIONS = 3;
    static final int DEFAULT_WAIT_TIMEOUT_S = 600;

    static final String SHUTTING_DOWN = "cancelled: the trainer is shutting down (the job resumes from its last checkpoint when it restarts)";

    private final DatasetStore datasets;
    private final ModelStore models;
    private final JobStore jobStore;
    private final SurrogateTrainer trainer;
    private final ModelEventPublisher events;
    private final String trainerAddress;
    private final Duration pollInterval;

    public TrainingJobRunner(DatasetStore datasets, ModelStore models, JobStore jobStore, SurrogateTrainer trainer, ModelEventPublisher events,
                             @ConfigProperty(name = "ns.trainer.advertised-address") Optional<String> advertisedAddress,
                             @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "9000") int grpcPort,
                             @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "9001") int grpcTestPort,
                             @ConfigProperty(name = "ns.trainer.dataset-poll-interval", defaultValue = "500ms") Duration pollInterval) {
        this.datasets = datasets;
        this.models = models;
        this.jobStore = jobStore;
        this.trainer = trainer;
        this.events = events;
        this.trainerAddress = advertisedAddress.orElse("localhost:" + (LaunchMode.current() == LaunchMode.TEST ? grpcTestPort : grpcPort));
        this.pollInterval = pollInterval;
    }

    /** The address written into model versions, where inference services fetch artifacts. */
    public String trainerAddress() {
        return trainerAddress;
    }

    /**
     * @param shuttingDown true once the trainer is shutting down: the job stops at its next check and
     *                     stays unfinished on disk
     */
    void run(TrainingJobRecord job, BooleanSupplier shuttingDown) {
        BooleanSupplier stop = () -> job.cancelRequested() || shuttingDown.getAsBoolean();
        try {
            if (stop.getAsBoolean()) {
                throw new CancellationException();
            }
            Optional<ModelVersion> already = models.findByJob(job.jobId());
            if (already.isPresent()) {
                // Stored before a restart, but the job had not finished: announce again (the topic is
                // compacted by "<model>/<version>", so a second announcement changes nothing) and finish.
                succeed(job, announce(already.get()), "stored before the trainer restarted; announced ");
                return;
            }
            List<String> ids = awaitData(job, stop);
            TrainingJobSpec spec = job.spec();
            // Traces are read from the dataset store on demand; at most cache_simulations stay in memory.
            String neuronModel = spec.getNeuronModel();
            SimulationSource simulations = SimulationSource.cached(ids, id -> datasets.load(neuronModel, id),
                    id -> datasets.loadMetadata(neuronModel, id), Math.max(0, spec.getConfig().getCacheSimulations()));
            String datasetId = datasetId(spec.getNeuronModel(), spec.getCampaignId(), ids);
            Path workDir = jobStore.workDir(job.jobId());
            job.append(progress(JobState.JOB_STATE_TRAINING, "training on " + simulations.size() + " simulations of dataset " + datasetId));
            TrainedModel trained = trainer.train(datasetId, simulations, spec, listener(job, stop), workDir);
            if (job.cancelRequested()) {
                // Cancelled after the trainer's last check: the model is not stored yet, so stop here. (A
                // shutdown does not stop it: storing is quicker than training again after the restart.)
                throw new CancellationException();
            }
            ModelVersion template = ModelVersion.newBuilder()
                    .setCard(trained.card())
                    .setTrainerAddress(trainerAddress)
                    .setCreatedAtMs(System.currentTimeMillis())
                    .setJobId(job.jobId())
                    .build();
            ModelVersion stored = models.add(spec.getModelName(), trained.onnx(), trained.reportFiles(), template);
            succeed(job, announce(stored), "stored and announced ");
        } catch (CancellationException e) {
            stopped(job, shuttingDown, "cancelled: the trainer stopped the job");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped(job, shuttingDown, "cancelled: interrupted");
        } catch (DomainException e) {
            failUnlessShuttingDown(job, shuttingDown, e.getMessage(), null);
        } catch (Exception | LinkageError e) {
            failUnlessShuttingDown(job, shuttingDown, e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString(), e);
        }
    }

    private ModelVersion announce(ModelVersion stored) {
        try {
            events.publishCreated(stored);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stored " + stored.getArtifactPath() + " but was interrupted announcing it on ns.models.v1", e);
        } catch (Exception e) {
            throw new IllegalStateException("stored " + stored.getArtifactPath() + " but could not announce it on ns.models.v1: " + e.getMessage(), e);
        }
        return stored;
    }

    /** The checkpoints go first, so a job seen ended has freed its disk (a crash in between still ends it: the model is stored). */
    private void succeed(TrainingJobRecord job, ModelVersion stored, String what) {
        deleteWorkDir(job);
        job.append(progress(JobState.JOB_STATE_SUCCEEDED, what + stored.getArtifactPath()).toBuilder().setModel(stored).build());
        LOG.infof("job %s succeeded: %s (%d bytes, sha256 %s)", job.jobId(), stored.getArtifactPath(), stored.getSizeBytes(), stored.getSha256());
    }

    /**
     * Ends a job that stopped early: CANCELLED for good when someone asked; only in memory (so it
     * resumes after the restart) when the trainer is shutting down; otherwise CANCELLED with {@code otherwise}.
     */
    private void stopped(TrainingJobRecord job, BooleanSupplier shuttingDown, String otherwise) {
        if (job.cancelRequested()) {
            deleteWorkDir(job);
            job.append(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError(TrainingJobQueue.CANCELLED_BY_REQUEST).build());
            LOG.infof("job %s cancelled by request", job.jobId());
        } else if (shuttingDown.getAsBoolean()) {
            job.appendTransient(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError(SHUTTING_DOWN).build());
            LOG.infof("job %s stopped for the shutdown; it resumes after the restart", job.jobId());
        } else {
            job.append(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError(otherwise).build());
        }
    }

    /** A failure while the trainer shuts down (a closed Kafka producer, say) must not end the job for good. */
    private void failUnlessShuttingDown(TrainingJobRecord job, BooleanSupplier shuttingDown, String error, Throwable cause) {
        if (shuttingDown.getAsBoolean() && !job.cancelRequested()) {
            LOG.infof("job %s stopped by a failure during the shutdown (%s); it resumes after the restart", job.jobId(), error);
            job.appendTransient(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError(SHUTTING_DOWN).build());
        } else {
            fail(job, error, cause);
        }
    }

    /** Removes the checkpoints of a job that ended and will not run again; a failure only costs disk space. */
    void deleteWorkDir(TrainingJobRecord job) {
        try {
            jobStore.deleteWorkDir(job.jobId());
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "job %s: could not delete its work directory", job.jobId());
        }
    }

    private static void fail(TrainingJobRecord job, String error, Throwable cause) {
        if (cause == null) {
            LOG.warnf("job %s failed: %s", job.jobId(), error);
        } else {
            LOG.errorf(cause, "job %s failed: %s", job.jobId(), error);
        }
        job.append(progress(JobState.JOB_STATE_FAILED, "failed").toBuilder().setError(error).build());
    }

    /** Polls the dataset until it holds max(3, min_simulations) complete simulations or the wait times out. */
    private List<String> awaitData(TrainingJobRecord job, BooleanSupplier cancelled) throws InterruptedException {
        TrainingJobSpec spec = job.spec();
        int needed = Math.max(MIN_SIMULATIONS, spec.getMinSimulations());
        int timeoutS = spec.getWaitTimeoutS() == 0 ? DEFAULT_WAIT_TIMEOUT_S : spec.getWaitTimeoutS();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutS).toNanos();
        String dataset = describe(spec);
        int reported = -1;
        while (true) {
            List<String> ids = datasets.completeSimulations(spec.getNeuronModel(), spec.getCampaignId());
            if (ids.size() >= needed) {
                return ids;
            }
            if (ids.size() != reported) {
                reported = ids.size();
                job.append(progress(JobState.JOB_STATE_WAITING_FOR_DATA,
                        "waiting for " + needed + " complete simulations of " + dataset + ": have " + reported));
            }
            if (System.nanoTime() > deadline) {
                throw new DomainException(DomainException.Kind.FAILED_PRECONDITION, "timed out after " + timeoutS + " s waiting for "
                        + needed + " complete simulations of " + dataset + ": have " + ids.size());
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }


    private static TrainingListener listener(TrainingJobRecord job, BooleanSupplier cancelled) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                // Only the runner ends a job: the model is not stored yet when training returns.
                JobState s = p.getState();
                boolean trainerState = s == JobState.JOB_STATE_TRAINING || s == JobState.JOB_STATE_EVALUATING || s == JobState.JOB_STATE_EXPORTING;
                job.append(trainerState ? p : p.toBuilder().setState(JobState.JOB_STATE_TRAINING).build());
            }

            @Override
            public boolean cancelled() {
                return cancelled.getAsBoolean();
            }
        };
    }

    /** Names a set of simulations by content: the same simulations give the same id. */
    static String datasetId(String neuronModel, String campaignId, List<String> simulationIds) {
        String digest = Sha256.of(String.join("\n", simulationIds).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return neuronModel + (campaignId.isEmpty() ? "" : "/" + campaignId) + "@" + simulationIds.size() + "sims-" + digest;
    }

    private static String describe(TrainingJobSpec spec) {
        return "neuron model '" + spec.getNeuronModel() + "'" + (spec.getCampaignId().isEmpty() ? "" : " in campaign '" + spec.getCampaignId() + "'");
    }

    private static TrainingProgress progress(JobState state, String message) {
        return TrainingProgress.newBuilder().setState(state).setMessage(message).build();
    }
}

package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.kafka.ModelEventPublisher;
import io.neurosurrogate.trainer.ml.SurrogateTrainer;
import io.neurosurrogate.trainer.ml.TrainedModel;
import io.neurosurrogate.trainer.ml.TrainingListener;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.neurosurrogate.trainer.store.ModelStore;
import io.quarkus.runtime.LaunchMode;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Runs one job to its end on the calling (worker) thread: wait until the dataset holds enough
 * complete simulations, train, store the ONNX as the model's next version, announce it on
 * {@code ns.models.v1}, and finish SUCCEEDED. Every failure ends the job FAILED with its message;
 * nothing escapes to the worker.
 */
@Singleton
public class TrainingJobRunner {
    private static final Logger LOG = Logger.getLogger(TrainingJobRunner.class);
    /** A train/validation/test split needs at least one simulation of each. */
    static final int MIN_SIMULATIONS = 3;
    static final int DEFAULT_WAIT_TIMEOUT_S = 600;

    private final DatasetStore datasets;
    private final ModelStore models;
    private final SurrogateTrainer trainer;
    private final ModelEventPublisher events;
    private final String trainerAddress;
    private final Duration pollInterval;

    public TrainingJobRunner(DatasetStore datasets, ModelStore models, SurrogateTrainer trainer, ModelEventPublisher events,
                             @ConfigProperty(name = "ns.trainer.advertised-address") Optional<String> advertisedAddress,
                             @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "9000") int grpcPort,
                             @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "9001") int grpcTestPort,
                             @ConfigProperty(name = "ns.trainer.dataset-poll-interval", defaultValue = "500ms") Duration pollInterval) {
        this.datasets = datasets;
        this.models = models;
        this.trainer = trainer;
        this.events = events;
        this.trainerAddress = advertisedAddress.orElse("localhost:" + (LaunchMode.current() == LaunchMode.TEST ? grpcTestPort : grpcPort));
        this.pollInterval = pollInterval;
    }

    /** The address written into model versions, where inference services fetch artifacts. */
    public String trainerAddress() {
        return trainerAddress;
    }

    void run(TrainingJobRecord job, BooleanSupplier cancelled) {
        try {
            List<String> ids = awaitData(job, cancelled);
            TrainingJobSpec spec = job.spec();
            List<SimulationTrace> simulations = load(spec.getNeuronModel(), ids);
            String datasetId = datasetId(spec.getNeuronModel(), spec.getCampaignId(), ids);
            job.append(progress(JobState.JOB_STATE_TRAINING, "training on " + simulations.size() + " simulations of dataset " + datasetId));
            TrainedModel trained = trainer.train(datasetId, simulations, spec, listener(job, cancelled), null);
            ModelVersion template = ModelVersion.newBuilder()
                    .setCard(trained.card())
                    .setTrainerAddress(trainerAddress)
                    .setCreatedAtMs(System.currentTimeMillis())
                    .setJobId(job.jobId())
                    .build();
            ModelVersion stored = models.add(spec.getModelName(), trained.onnx(), template);
            try {
                events.publishCreated(stored);
            } catch (Exception e) {
                throw new IllegalStateException("stored " + stored.getArtifactPath() + " but could not announce it on ns.models.v1: " + e.getMessage(), e);
            }
            job.append(progress(JobState.JOB_STATE_SUCCEEDED, "stored and announced " + stored.getArtifactPath()).toBuilder().setModel(stored).build());
            LOG.infof("job %s succeeded: %s (%d bytes, sha256 %s)", job.jobId(), stored.getArtifactPath(), stored.getSizeBytes(), stored.getSha256());
        } catch (CancellationException e) {
            job.append(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError("cancelled: the trainer is shutting down").build());
        } catch (DomainException e) {
            fail(job, e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.append(progress(JobState.JOB_STATE_CANCELLED, "cancelled").toBuilder().setError("cancelled: interrupted").build());
        } catch (Exception | LinkageError e) {
            fail(job, e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString(), e);
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

    private List<SimulationTrace> load(String neuronModel, List<String> ids) throws java.io.IOException {
        List<SimulationTrace> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(datasets.load(neuronModel, id));
        }
        return out;
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

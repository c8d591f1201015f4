package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.kafka.ModelEventPublisher;
import io.neurosurrogate.trainer.ml.SimulationSource;
import io.neurosurrogate.trainer.ml.SurrogateTrainer;
import io.neurosurrogate.trainer.ml.TrainedModel;
import io.neurosurrogate.trainer.ml.TrainingListener;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.neurosurrogate.trainer.store.JobStore;
import io.neurosurrogate.trainer.store.ModelStore;
import io.neurosurrogate.trainer.store.SyntheticTraces;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queue, the runner and the three stores on real files, with a trainer double (our own
 * interface: DL4J is not what is tested here) that can hold a job in training until released, and a
 * "restart" that opens new stores and a new queue on the same directory.
 */
class TrainingJobQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<TrainingJobQueue> queues = new ArrayList<>();

    /** One trainer process: its stores, runner and queue over {@link #dir}. */
    private final class Trainer {
        final JobStore jobStore;
        final ModelStore models;
        final FakeTrainer trainer;
        final List<ModelVersion> announced = new CopyOnWriteArrayList<>();
        /** The trace context current when each model was announced. */
        final List<Context> announcedIn = new CopyOnWriteArrayList<>();
        final TrainingJobQueue queue;

        Trainer(FakeTrainer trainer, int maxQueued) throws Exception {
            this.trainer = trainer;
            DatasetStore datasets = DatasetStore.open(dir.resolve("datasets"));
            this.models = ModelStore.open(dir.resolve("models"));
            this.jobStore = JobStore.open(dir.resolve("jobs"));
            ModelEventPublisher events = new ModelEventPublisher(null, OpenTelemetry.noop()) {
                @Override
                public void publishCreated(ModelVersion model) {
                    announcedIn.add(Context.current());
                    announced.add(model);
                }
            };
            TrainingJobRunner runner = new TrainingJobRunner(datasets, models, jobStore, trainer, events,
                    Optional.of("trainer:9102"), 9102, 9202, Duration.ofMillis(20));
            this.queue = new TrainingJobQueue(runner, jobStore, maxQueued, Duration.ofSeconds(10));
            queues.add(queue);
        }

        Trainer started() {
            queue.start();
            return this;
        }
    }

    /** What the trainer double was asked to train. */
    private record Call(String modelName, Path workDir, boolean checkpointExisted) {
    }

    /**
     * Trains instantly, or (when {@code hold}) writes a checkpoint and then waits for {@link #release}
     * while polling the listener's cancel flag between "batches", as the DL4J trainer does.
     */
    private static final class FakeTrainer implements SurrogateTrainer {
        final boolean hold;
        final CountDownLatch release = new CountDownLatch(1);
        final List<Call> calls = new CopyOnWriteArrayList<>();

        FakeTrainer(boolean hold) {
            this.hold = hold;
        }

        @Override
        public TrainedModel train(String datasetId, SimulationSource simulations, TrainingJobSpec spec, TrainingListener listener,
                                  Path workDir) {
            Path checkpoint = workDir.resolve("checkpoint.bin");
            calls.add(new Call(spec.getModelName(), workDir, Files.exists(checkpoint)));
            listener.onProgress(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_TRAINING).setEpoch(1).setEpochs(2).build());
            if (hold) {
                try {
                    Files.write(checkpoint, new byte[]{1});
                    while (!release.await(5, TimeUnit.MILLISECONDS)) {
                        if (listener.cancelled()) {
                            throw new CancellationException();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            ModelCard card = ModelCard.newBuilder().setNeuronModel(spec.getNeuronModel()).setDatasetId(datasetId).build();
            return new TrainedModel(spec.getModelName().getBytes(StandardCharsets.UTF_8), card,
                    Map.of("metrics.json", ("{\"model\": \"" + spec.getModelName() + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
    }

    @BeforeEach
    void storeThreeSimulations() throws Exception {
        DatasetStore datasets = DatasetStore.open(dir.resolve("datasets"));
        for (int i = 0; i < 3; i++) {
            for (TraceChunk c : SyntheticTraces.iaf("sim-" + i, "c", 10 + i, 300).toChunks(1000)) {
                datasets.store(c);
            }
        }
    }

    @AfterEach
    void stopQueues() throws InterruptedException {
        for (TrainingJobQueue q : queues) {
            q.stop();
        }
    }

    private static TrainingJobSpec spec(String modelName) {
        return TrainingJobSpec.newBuilder().setModelName(modelName).setNeuronModel("iaf").setMinSimulations(3).setWaitTimeoutS(30).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitState(TrainingJobRecord job, JobState state) throws InterruptedException {
        await(job.jobId() + " is " + state + " (latest: " + job.latest() + ")", () -> job.latest().getState() == state);
    }

    private static List<JobState> states(List<TrainingProgress> history) {
        return history.stream().map(TrainingProgress::getState).toList();
    }

    @Test
    void aRestartQueuesUnfinishedJobsAgainInSubmissionOrderAndResumesEachInItsWorkDir() throws Exception {
        Trainer first = new Trainer(new FakeTrainer(true), 4).started();
        TrainingJobRecord a = first.queue.submit(spec("a"));
        TrainingJobRecord b = first.queue.submit(spec("b"));
        TrainingJobRecord c = first.queue.submit(spec("c"));
        await("a is training", () -> first.trainer.calls.size() == 1);
        Path aWork = first.trainer.calls.get(0).workDir();
        assertThat(aWork).isEqualTo(dir.resolve("jobs").resolve(a.jobId()).resolve("work")).isDirectory();

        first.queue.stop();  // the shutdown: the running job stops at its next check
        assertThat(a.latest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(a.latest().getError()).contains("the trainer is shutting down");
        assertThat(b.latest().getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
        assertThat(first.trainer.calls).hasSize(1);

        Trainer second = new Trainer(new FakeTrainer(false), 4);
        List<TrainingJobRecord> listed = second.queue.list();
        assertThat(listed).extracting(TrainingJobRecord::jobId).as("newest first").containsExactly(c.jobId(), b.jobId(), a.jobId());
        assertThat(listed).allSatisfy(j -> {
            assertThat(j.latest().getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
            assertThat(j.latest().getMessage()).isEqualTo(TrainingJobQueue.RESUMING);
        });
        TrainingJobRecord aAgain = second.queue.get(a.jobId());
        assertThat(states(aAgain.history())).as("the shutdown's CANCELLED was never stored")
                .containsExactly(JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_QUEUED);
        assertThat(aAgain.spec()).isEqualTo(spec("a"));

        second.started();
        for (TrainingJobRecord j : second.queue.list()) {
            awaitState(j, JobState.JOB_STATE_SUCCEEDED);
        }
        assertThat(second.trainer.calls).extracting(Call::modelName).containsExactly("a", "b", "c");
        Call resumed = second.trainer.calls.get(0);
        assertThat(resumed.workDir()).isEqualTo(aWork);
        assertThat(resumed.checkpointExisted()).as("a resumes from the checkpoint it wrote before the restart").isTrue();
        assertThat(second.trainer.calls.get(1).workDir()).isEqualTo(dir.resolve("jobs").resolve(b.jobId()).resolve("work"));
        assertThat(aWork).as("checkpoints of a finished job are removed").doesNotExist();

        ModelVersion aModel = second.queue.get(a.jobId()).latest().getModel();
        assertThat(aModel.getModelName()).isEqualTo("a");
        assertThat(aModel.getJobId()).isEqualTo(a.jobId());
        assertThat(aModel.getReportFilesList()).containsExactly("metrics.json");
        assertThat(second.models.find("a", 1, "metrics.json").file()).hasContent("{\"model\": \"a\"}");
        assertThat(second.announced).extracting(ModelVersion::getModelName).containsExactly("a", "b", "c");
    }

    @Test
    void aSucceededJobIsListedAfterARestartAndNeverTrainedAgain() throws Exception {
        Trainer first = new Trainer(new FakeTrainer(false), 4).started();
        TrainingJobRecord done = first.queue.submit(spec("done"));
        awaitState(done, JobState.JOB_STATE_SUCCEEDED);
        first.queue.stop();

        Trainer second = new Trainer(new FakeTrainer(false), 4).started();
        TrainingJobRecord restored = second.queue.get(done.jobId());
        assertThat(restored.history()).isEqualTo(done.history());
        assertThat(restored.latest().getModel().getVersion()).isEqualTo(1);
        TrainingJobRecord later = second.queue.submit(spec("later"));
        awaitState(later, JobState.JOB_STATE_SUCCEEDED);
        assertThat(second.trainer.calls).extracting(Call::modelName).containsExactly("later");
        assertThat(second.models.list("done")).hasSize(1);
        assertThat(second.queue.list()).extracting(TrainingJobRecord::jobId).containsExactly(later.jobId(), done.jobId());
    }

    @Test
    void aJobWhoseModelWasStoredBeforeACrashIsAnnouncedAndFinishedWithoutTrainingAgain() throws Exception {
        // The crash came after the model store's write and before SUCCEEDED reached the job's log.
        JobStore jobStore = JobStore.open(dir.resolve("jobs"));
        jobStore.create("j-00000000000a", spec("crashed"));
        jobStore.append("j-00000000000a", TrainingProgress.newBuilder().setJobId("j-00000000000a").setState(JobState.JOB_STATE_EXPORTING).build());
        ModelVersion stored = ModelStore.open(dir.resolve("models"))
                .add("crashed", new byte[]{4, 2}, ModelVersion.newBuilder().setJobId("j-00000000000a").build());

        Trainer restarted = new Trainer(new FakeTrainer(false), 4).started();
        TrainingJobRecord job = restarted.queue.get("j-00000000000a");
        awaitState(job, JobState.JOB_STATE_SUCCEEDED);
        assertThat(job.latest().getModel()).isEqualTo(stored);
        assertThat(restarted.trainer.calls).isEmpty();
        assertThat(restarted.announced).containsExactly(stored);
        assertThat(restarted.models.list("crashed")).hasSize(1);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndForGood() throws Exception {
        Trainer first = new Trainer(new FakeTrainer(true), 4).started();
        TrainingJobRecord running = first.queue.submit(spec("running"));
        TrainingJobRecord queued = first.queue.submit(spec("queued"));
        await("running is training", () -> first.trainer.calls.size() == 1);

        TrainingJobRecord cancelled = first.queue.cancel(queued.jobId());
        assertThat(cancelled).isSameAs(queued);
        assertThat(queued.latest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(queued.latest().getError()).isEqualTo("cancelled by request");
        first.trainer.release.countDown();
        awaitState(running, JobState.JOB_STATE_SUCCEEDED);
        assertThat(first.trainer.calls).extracting(Call::modelName).containsExactly("running");
        first.queue.stop();

        Trainer second = new Trainer(new FakeTrainer(false), 4).started();
        assertThat(second.queue.get(queued.jobId()).latest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(second.queue.get(queued.jobId()).latest().getError()).isEqualTo("cancelled by request");
        TrainingJobRecord probe = second.queue.submit(spec("probe"));
        awaitState(probe, JobState.JOB_STATE_SUCCEEDED);
        assertThat(second.trainer.calls).extracting(Call::modelName).containsExactly("probe");
    }

    @Test
    void cancellingTheRunningJobStopsItsTrainingAndEndsItCancelledForGood() throws Exception {
        Trainer first = new Trainer(new FakeTrainer(true), 4).started();
        TrainingJobRecord job = first.queue.submit(spec("to-cancel"));
        await("the job is training", () -> first.trainer.calls.size() == 1);
        Path work = first.trainer.calls.get(0).workDir();
        await("the checkpoint is written", () -> Files.exists(work.resolve("checkpoint.bin")));

        first.queue.cancel(job.jobId());
        awaitState(job, JobState.JOB_STATE_CANCELLED);
        assertThat(job.latest().getError()).isEqualTo("cancelled by request");
        assertThat(first.models.list("to-cancel")).isEmpty();
        assertThat(first.announced).isEmpty();
        assertThat(work).as("a cancelled job's checkpoints are removed").doesNotExist();
        first.queue.stop();

        Trainer second = new Trainer(new FakeTrainer(false), 4);
        assertThat(second.queue.get(job.jobId()).latest().getError()).isEqualTo("cancelled by request");
        assertThat(second.queue.get(job.jobId()).history()).isEqualTo(job.history());
    }

    @Test
    void cancellingAJobThatWaitsForDataEndsItCancelled() throws Exception {
        Trainer trainer = new Trainer(new FakeTrainer(false), 4).started();
        TrainingJobRecord job = trainer.queue.submit(spec("starving").toBuilder().setNeuronModel("no-such-neuron").build());
        awaitState(job, JobState.JOB_STATE_WAITING_FOR_DATA);
        trainer.queue.cancel(job.jobId());
        awaitState(job, JobState.JOB_STATE_CANCELLED);
        assertThat(job.latest().getError()).isEqualTo("cancelled by request");
        assertThat(trainer.trainer.calls).isEmpty();
    }

    @Test
    void aJobRunsAndAnnouncesItsModelInTheTraceOfTheCallThatSubmittedIt() throws Exception {
        Trainer trainer = new Trainer(new FakeTrainer(false), 4).started();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        SpanContext caller = SpanContext.createFromRemoteParent(traceId, "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault());
        TrainingJobRecord job;
        try (Scope ignored = Context.root().with(Span.wrap(caller)).makeCurrent()) {
            job = trainer.queue.submit(spec("traced"));
        }
        awaitState(job, JobState.JOB_STATE_SUCCEEDED);

        assertThat(trainer.announcedIn).hasSize(1);
        assertThat(Span.fromContext(trainer.announcedIn.get(0)).getSpanContext()).isEqualTo(caller);
        assertThat(Span.current().getSpanContext().isValid()).as("the worker's context does not leak here").isFalse();
    }

    @Test
    void cancellingAnEndedJobReturnsItUnchangedAndAnUnknownJobIsNotFound() throws Exception {
        Trainer trainer = new Trainer(new FakeTrainer(false), 4).started();
        TrainingJobRecord job = trainer.queue.submit(spec("quick"));
        awaitState(job, JobState.JOB_STATE_SUCCEEDED);
        List<TrainingProgress> before = job.history();

        assertThat(trainer.queue.cancel(job.jobId()).history()).isEqualTo(before);
        assertThat(job.latest().getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
        assertThatThrownBy(() -> trainer.queue.cancel("j-ffffffffffff")).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void aFullQueueRejectsJobsWithResourceExhausted() throws Exception {
        Trainer trainer = new Trainer(new FakeTrainer(true), 1).started();
        TrainingJobRecord running = trainer.queue.submit(spec("running"));
        await("running is training", () -> trainer.trainer.calls.size() == 1);
        trainer.queue.submit(spec("waiting"));
        assertThatThrownBy(() -> trainer.queue.submit(spec("one-too-many"))).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.RESOURCE_EXHAUSTED));
        assertThat(trainer.queue.list()).hasSize(2);
        assertThat(Files.list(dir.resolve("jobs")).count()).as("a rejected job is not stored").isEqualTo(2);
        trainer.trainer.release.countDown();
        awaitState(running, JobState.JOB_STATE_SUCCEEDED);
    }
}

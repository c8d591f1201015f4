package io.neurosurrogate.trainer.grpc;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.jobs.TrainingJobQueue;
import io.neurosurrogate.trainer.jobs.TrainingJobRecord;
import io.neurosurrogate.trainer.kafka.TestKafka;
import io.neurosurrogate.trainer.kafka.TrainerTestProfile;
import io.neurosurrogate.trainer.store.ModelStore;
import io.neurosurrogate.trainer.store.SyntheticTraces;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
@TestProfile(TrainerTestProfile.class)
class TrainerGrpcServiceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Inject
    ModelStore modelStore;

    @Inject
    TrainingJobQueue jobs;

    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;
    private TestKafka kafka;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        trainer = TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES);
        kafka = new TestKafka(bootstrap);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        kafka.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A tiny run of the paper's I&F surrogate, so the real DL4J trainer finishes in seconds. */
    private static TrainingJobSpec tinySpec(String modelName, String campaign) {
        return TrainingJobSpec.newBuilder()
                .setModelName(modelName).setNeuronModel("iaf").setCampaignId(campaign)
                .setArchitecture(Architecture.newBuilder().setPreset("iaf-1x1"))
                .setConfig(TrainingConfig.newBuilder().setEpochs(2).setBatchSize(4).setWindowMs(300)
                        .setWindowsPerEpoch(8).setSkipInitialMs(100).setSeed(7))
                .setMinSimulations(3).setWaitTimeoutS(120)
                .build();
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aTrainingJobWaitsForDataTrainsStoresAnnouncesAndServesTheModel() throws Exception {
        String campaign = unique("train");
        String modelName = unique("iaf-test");
        TrainingJob job = trainer.startTraining(tinySpec(modelName, campaign));
        assertThat(job.getJobId()).matches("j-[0-9a-f]{12}");
        assertThat(job.getLatest().getState()).isIn(JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_WAITING_FOR_DATA);

        List<TrainingProgress> watched = new ArrayList<>();
        Iterator<TrainingProgress> stream = trainer.watchTraining(GetTrainingJobRequest.newBuilder().setJobId(job.getJobId()).build());
        while (watched.isEmpty() || watched.get(watched.size() - 1).getState() != JobState.JOB_STATE_WAITING_FOR_DATA) {
            watched.add(stream.next());
        }
        // The data arrives only now: the job must have waited for it.
        for (int i = 0; i < 3; i++) {
            SimulationTrace trace = SyntheticTraces.iaf(campaign + "-" + i, campaign, 100 + i, 3000);
            for (TraceChunk c : trace.toChunks(1000)) {
                kafka.send(Topics.TRACES, c.getMeta().getSimulationId(), c.toByteArray());
            }
        }
        stream.forEachRemaining(watched::add);  // ends when the job ends

        TrainingProgress last = watched.get(watched.size() - 1);
        assertThat(last.getError()).isEmpty();
        assertThat(last.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
        assertThat(watched).extracting(TrainingProgress::getState)
                .startsWith(JobState.JOB_STATE_QUEUED)
                .contains(JobState.JOB_STATE_WAITING_FOR_DATA, JobState.JOB_STATE_TRAINING);
        assertThat(watched).filteredOn(p -> p.getEpoch() >= 1).isNotEmpty();
        assertThat(watched).extracting(TrainingProgress::getJobId).containsOnly(job.getJobId());

        ModelVersion model = last.getModel();
        assertThat(model.getModelName()).isEqualTo(modelName);
        assertThat(model.getVersion()).isEqualTo(1);
        assertThat(model.getArtifactPath()).isEqualTo(modelName + "/1/model.onnx");
        assertThat(model.getTrainerAddress()).isEqualTo("localhost:" + grpcPort);
        assertThat(model.getJobId()).isEqualTo(job.getJobId());
        assertThat(model.getCard().getDatasetId()).startsWith("iaf/" + campaign + "@3sims-");

        TrainingJob finished = trainer.getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId(job.getJobId()).build());
        assertThat(finished.getLatest()).isEqualTo(last);
        assertThat(finished.getSpec().getModelName()).isEqualTo(modelName);

        List<ConsumerRecord<byte[], byte[]>> events = kafka.readUntil(Topics.MODELS,
                r -> new String(r.key(), StandardCharsets.UTF_8).equals(modelName + "/1"), 1, Duration.ofSeconds(30));
        ModelEvent event = ModelEvent.parseFrom(events.get(0).value());
        assertThat(event.getKind()).isEqualTo(ModelEvent.Kind.KIND_CREATED);
        assertThat(event.getModel()).isEqualTo(model);

        byte[] artifact = fetch(modelName, 1, model.getSha256());
        assertThat(artifact).hasSize((int) model.getSizeBytes());
        assertThat(Sha256.of(artifact)).isEqualTo(model.getSha256());

        assertThat(trainer.listModels(ListModelsRequest.newBuilder().setModelName(modelName).build()).getModelsList())
                .containsExactly(model);
        DatasetInfo dataset = trainer.getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").setCampaignId(campaign).build());
        assertThat(dataset.getCompleteSimulations()).isEqualTo(3);
        assertThat(dataset.getIncompleteSimulations()).isZero();
        assertThat(dataset.getChunks()).isEqualTo(9);
        assertThat(dataset.getBytes()).isPositive();
    }

    @Test
    void aLargeArtifactStreamsInMebibytePiecesWithTheSha256First() throws Exception {
        byte[] onnx = new byte[(5 << 19) + 17];  // 2.5 MiB + 17 bytes: three pieces
        new Random(3).nextBytes(onnx);
        String name = unique("big");
        ModelVersion stored = modelStore.add(name, onnx, ModelVersion.newBuilder().setJobId("j-test").build());
        List<ArtifactChunk> chunks = new ArrayList<>();
        trainer.fetchArtifact(FetchArtifactRequest.newBuilder().setModelName(name).setVersion(stored.getVersion()).build())
                .forEachRemaining(chunks::add);
        assertThat(chunks).extracting(c -> c.getData().size()).containsExactly(1 << 20, 1 << 20, (1 << 19) + 17);
        assertThat(chunks).extracting(ArtifactChunk::getOffset).containsExactly(0L, 1L << 20, 2L << 20);
        assertThat(chunks).extracting(ArtifactChunk::getTotalSize).containsOnly((long) onnx.length);
        assertThat(chunks.get(0).getSha256()).isEqualTo(Sha256.of(onnx));
        assertThat(chunks.get(1).getSha256()).isEmpty();
        assertThat(fetch(name, 0, stored.getSha256())).containsExactly(onnx);
    }

    @Test
    void invalidSpecsAreRejectedWithInvalidArgumentAndAMessage() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> trainer.startTraining(TrainingJobSpec.newBuilder().setModelName("Bad Name").setNeuronModel("").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("model_name", "neuron_model is required");
        assertThat(codeOf(() -> trainer.startTraining(tinySpec("ok", "c").toBuilder().setMinSimulations(-1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> trainer.startTraining(tinySpec("ok", "c").toBuilder()
                .setConfig(TrainingConfig.newBuilder().setEpochs(-3)).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> trainer.getDataset(DatasetRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void unknownJobsAndArtifactsAreNotFound() {
        GetTrainingJobRequest unknown = GetTrainingJobRequest.newBuilder().setJobId("j-000000000000").build();
        assertThat(codeOf(() -> trainer.getTrainingJob(unknown))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> trainer.watchTraining(unknown).hasNext())).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> trainer.fetchArtifact(FetchArtifactRequest.newBuilder().setModelName("no-such-model").setVersion(1).build())
                .hasNext())).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aFullQueueRejectsJobsWithResourceExhaustedAndJobsWithoutDataFailAfterTheirTimeout() throws Exception {
        TrainingJobSpec starving = tinySpec("starving", unique("no-data")).toBuilder().setWaitTimeoutS(1).build();
        List<String> accepted = new ArrayList<>();
        int rejected = 0;
        // One job runs (waits 1 s for data that never comes) and at most MAX_QUEUED_JOBS wait behind it.
        for (int i = 0; i < TrainerTestProfile.MAX_QUEUED_JOBS + 2; i++) {
            try {
                accepted.add(trainer.startTraining(starving).getJobId());
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains("queue is full");
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
        for (String id : accepted) {
            TrainingProgress last = null;
            for (Iterator<TrainingProgress> it = trainer.watchTraining(GetTrainingJobRequest.newBuilder().setJobId(id).build()); it.hasNext(); ) {
                last = it.next();
            }
            assertThat(last.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
            assertThat(last.getError()).contains("timed out after 1 s waiting for 3 complete simulations");
        }
    }

    @Test
    void aCancelledWatchStopsFollowingTheJob() throws Exception {
        TrainingJob job = trainer.startTraining(tinySpec("cancelled-watch", unique("no-data")).toBuilder().setWaitTimeoutS(4).build());
        TrainingJobRecord record = jobs.get(job.getJobId());
        Context.CancellableContext context = Context.current().withCancellation();
        Iterator<TrainingProgress> stream = context.call(() -> trainer.watchTraining(GetTrainingJobRequest.newBuilder().setJobId(job.getJobId()).build()));
        assertThat(stream.next().getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
        TestKafka.await("the watch is following the job", Duration.ofSeconds(5), () -> record.watchers() == 1);

        context.cancel(null);
        TestKafka.await("the cancelled watch is dropped", Duration.ofSeconds(3), () -> record.watchers() == 0);
        assertThat(TrainingJobRecord.isFinal(record.latest().getState())).as("dropped because of the cancel, not the job's end").isFalse();
    }

    @Test
    void queuedAndRunningJobsCanBeCancelledAndEveryJobIsListedNewestFirst() {
        String campaign = unique("no-data");
        // Neither job gets data: the first waits for it (or is queued behind another test's job), the second is queued.
        TrainingJob first = trainer.startTraining(tinySpec(unique("cancel-a"), campaign).toBuilder().setWaitTimeoutS(120).build());
        TrainingJob second = trainer.startTraining(tinySpec(unique("cancel-b"), campaign).toBuilder().setWaitTimeoutS(120).build());

        List<TrainingProgress> ends = new ArrayList<>();
        for (TrainingJob job : List.of(second, first)) {
            GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(job.getJobId()).build();
            assertThat(trainer.cancelTrainingJob(request).getJobId()).isEqualTo(job.getJobId());
            TrainingProgress last = null;
            for (Iterator<TrainingProgress> it = trainer.watchTraining(request); it.hasNext(); ) {
                last = it.next();
            }
            assertThat(last.getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
            assertThat(last.getError()).isEqualTo("cancelled by request");
            ends.add(last);
            assertThat(trainer.cancelTrainingJob(request).getLatest()).as("an ended job comes back unchanged").isEqualTo(last);
        }

        List<TrainingJob> listed = trainer.listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();
        assertThat(listed.get(0).getJobId()).as("the newest job first").isEqualTo(second.getJobId());
        List<String> ids = listed.stream().map(TrainingJob::getJobId).toList();
        assertThat(ids.indexOf(first.getJobId())).isGreaterThan(0);
        TrainingJob listedFirst = listed.get(ids.indexOf(first.getJobId()));
        assertThat(listedFirst.getSpec().getModelName()).isEqualTo(first.getSpec().getModelName());
        assertThat(listedFirst.getLatest()).isEqualTo(ends.get(1));
        assertThat(listed.get(0).getLatest()).isEqualTo(ends.get(0));
        assertThat(codeOf(() -> trainer.cancelTrainingJob(GetTrainingJobRequest.newBuilder().setJobId("j-000000000000").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void reportFilesAreListedWithTheVersionAndFetchedByName() throws Exception {
        byte[] metrics = "{\"spike_auc\": 0.99}".getBytes(StandardCharsets.UTF_8);
        byte[] plot = new byte[(1 << 20) + 5];  // two pieces
        new Random(5).nextBytes(plot);
        byte[] onnx = {1, 2, 3};
        String name = unique("report");
        ModelVersion stored = modelStore.add(name, onnx, Map.of("roc.png", plot, "metrics.json", metrics),
                ModelVersion.newBuilder().setJobId("j-test").build());
        assertThat(stored.getReportFilesList()).containsExactly("metrics.json", "roc.png");
        assertThat(trainer.listModels(ListModelsRequest.newBuilder().setModelName(name).build()).getModels(0).getReportFilesList())
                .containsExactly("metrics.json", "roc.png");

        assertThat(fetch(name, 0, "metrics.json", Sha256.of(metrics))).containsExactly(metrics);
        List<ArtifactChunk> chunks = new ArrayList<>();
        trainer.fetchArtifact(FetchArtifactRequest.newBuilder().setModelName(name).setVersion(1).setFile("roc.png").build())
                .forEachRemaining(chunks::add);
        assertThat(chunks).extracting(c -> c.getData().size()).containsExactly(1 << 20, 5);
        assertThat(chunks).extracting(ArtifactChunk::getTotalSize).containsOnly((long) plot.length);
        assertThat(chunks.get(0).getSha256()).isEqualTo(Sha256.of(plot));
        assertThat(fetch(name, 1, "roc.png", Sha256.of(plot))).containsExactly(plot);
        assertThat(fetch(name, 1, "", stored.getSha256())).as("no file: the model itself").containsExactly(onnx);

        FetchArtifactRequest.Builder request = FetchArtifactRequest.newBuilder().setModelName(name).setVersion(1);
        assertThat(codeOf(() -> trainer.fetchArtifact(request.setFile("loss.png").build()).hasNext())).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> trainer.fetchArtifact(request.setFile("../1/model-version.pb").build()).hasNext()))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> trainer.fetchArtifact(request.setFile("sub/metrics.json").build()).hasNext()))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private byte[] fetch(String model, int version, String expectedSha) {
        return fetch(model, version, "", expectedSha);
    }

    private byte[] fetch(String model, int version, String file, String expectedSha) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Iterator<ArtifactChunk> it = trainer.fetchArtifact(FetchArtifactRequest.newBuilder().setModelName(model).setVersion(version)
                .setFile(file).build());
        boolean first = true;
        while (it.hasNext()) {
            ArtifactChunk c = it.next();
            assertThat(c.getOffset()).isEqualTo(out.size());
            if (first) {
                assertThat(c.getSha256()).isEqualTo(expectedSha);
                first = false;
            }
            out.writeBytes(c.getData().toByteArray());
        }
        return out.toByteArray();
    }
}

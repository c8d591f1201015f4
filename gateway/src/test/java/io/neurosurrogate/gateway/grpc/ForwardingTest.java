package io.neurosurrogate.gateway.grpc;

import com.google.common.collect.ImmutableList;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.FakeTrainer;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class ForwardingTest extends GatewayChannelPerTest {
    @InjectFakes
    Fakes fakes;

    @Test
    void startCampaignReachesTheSimulatorAndReturnsItsAnswer() {
        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(4).setSeed(7).setName("forwarded").build();

        Campaign campaign = gateway.blocking().startCampaign(spec);

        assertThat(fakes.simulator.started).contains(spec);
        assertThat(campaign.getSpec()).isEqualTo(spec);
        assertThat(campaign.getCampaignId()).startsWith("c-");
    }

    @Test
    void downstreamStatusCodesAndDescriptionsPassThroughUnchanged() {
        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("status:FAILED_PRECONDITION:no workers free").build();

        Status refused = statusOf(() -> gateway.blocking().startCampaign(spec));
        Status missing = statusOf(() -> gateway.blocking().getCampaign(GetCampaignRequest.newBuilder().setCampaignId("missing").build()));

        assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getDescription()).isEqualTo("no workers free");
        assertThat(missing.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getDescription()).isEqualTo("campaign missing does not exist");
    }

    @Test
    void watchCampaignRelaysEveryUpdateInOrder() {
        List<Campaign> updates = ImmutableList.copyOf(gateway.blocking().watchCampaign(GetCampaignRequest.newBuilder().setCampaignId("c-9").build()));

        assertThat(updates).extracting(Campaign::getState).containsExactly(
                CampaignState.CAMPAIGN_STATE_PENDING, CampaignState.CAMPAIGN_STATE_RUNNING, CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(updates).extracting(Campaign::getCampaignId).containsOnly("c-9");
    }

    @Test
    void cancellingAWatchCancelsTheDownstreamStream() throws InterruptedException {
        CountDownLatch downstreamCancelled = new CountDownLatch(1);
        fakes.simulator.watchCancelled = downstreamCancelled;
        CountDownLatch firstUpdate = new CountDownLatch(1);
        Context.CancellableContext caller = Context.current().withCancellation();

        caller.run(() -> gateway.async().watchCampaign(GetCampaignRequest.newBuilder().setCampaignId("forever").build(), new StreamObserver<>() {
            @Override
            public void onNext(Campaign value) {
                firstUpdate.countDown();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        }));
        assertThat(firstUpdate.await(10, TimeUnit.SECONDS)).as("first update relayed").isTrue();
        caller.cancel(null);

        assertThat(downstreamCancelled.await(10, TimeUnit.SECONDS)).as("downstream stream cancelled").isTrue();
    }

    @Test
    void simulateReachesTheSimulator() {
        SimulateRequest request = SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(500).setSeed(3).build();

        SimulateResponse response = gateway.blocking().simulate(request);

        assertThat(fakes.simulator.simulated).contains(request);
        assertThat(response.getTrace().getMeta().getDurationMs()).isEqualTo(500);
    }

    @Test
    void trainingCallsReachTheTrainer() {
        TrainingJobSpec spec = TrainingJobSpec.newBuilder().setModelName("iaf-1x1").setNeuronModel("iaf").setMinSimulations(2).build();

        TrainingJob started = gateway.blocking().startTraining(spec);
        TrainingJob fetched = gateway.blocking().getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId("job-7").build());
        List<TrainingProgress> progress = ImmutableList.copyOf(
                gateway.blocking().watchTraining(GetTrainingJobRequest.newBuilder().setJobId("job-7").build()));
        DatasetInfo dataset = gateway.blocking().getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").setCampaignId("c-1").build());

        assertThat(fakes.trainer.started).contains(spec);
        assertThat(started.getSpec()).isEqualTo(spec);
        assertThat(fetched.getJobId()).isEqualTo("job-7");
        assertThat(progress).extracting(TrainingProgress::getState).containsExactly(JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_SUCCEEDED);
        assertThat(dataset.getCompleteSimulations()).isEqualTo(3);
        assertThat(dataset.getCampaignId()).isEqualTo("c-1");
    }

    @Test
    void cancelTrainingReachesTheTrainerAndReturnsItsAnswer() {
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId("job-cancel-me").build();

        TrainingJob cancelled = gateway.blocking().cancelTraining(request);

        assertThat(fakes.trainer.cancelled).contains(request);
        assertThat(cancelled.getJobId()).isEqualTo("job-cancel-me");
        assertThat(cancelled.getLatest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
    }

    @Test
    void cancellingAnUnknownJobPassesTheTrainersNotFoundThrough() {
        Status status = statusOf(() -> gateway.blocking().cancelTraining(GetTrainingJobRequest.newBuilder().setJobId("missing").build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("no training job 'missing'");
    }

    @Test
    void listTrainingJobsReturnsTheTrainersJobsInItsOrder() {
        int before = fakes.trainer.listJobsCalls.get();

        List<TrainingJob> jobs = gateway.blocking().listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();

        assertThat(jobs).isEqualTo(fakes.trainer.jobs);
        assertThat(jobs).extracting(TrainingJob::getJobId).containsExactly("job-2", "job-1");
        assertThat(fakes.trainer.listJobsCalls.get()).isEqualTo(before + 1);
    }

    @Test
    void fetchArtifactRelaysEveryChunkOfTheRequestedFileInOrder() {
        FetchArtifactRequest request = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(2).setFile("metrics.json").build();
        byte[] expected = FakeTrainer.artifact("iaf-1x1", 2, "metrics.json");

        List<ArtifactChunk> chunks = ImmutableList.copyOf(gateway.blocking().fetchArtifact(request));

        assertThat(fakes.trainer.fetched).contains(request);
        int chunk = FakeTrainer.ARTIFACT_CHUNK_BYTES;
        assertThat(chunks).extracting(ArtifactChunk::getOffset).containsExactly(0L, (long) chunk, 2L * chunk);
        assertThat(chunks).extracting(ArtifactChunk::getTotalSize).containsOnly((long) expected.length);
        assertThat(chunks).extracting(ArtifactChunk::getSha256).containsExactly(Sha256.of(expected), "", "");
        assertThat(concatenated(chunks)).isEqualTo(expected);
    }

    @Test
    void fetchArtifactWithoutAFileOrVersionStreamsTheNewestModel() {
        FetchArtifactRequest request = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").build();

        List<ArtifactChunk> chunks = ImmutableList.copyOf(gateway.blocking().fetchArtifact(request));

        assertThat(fakes.trainer.fetched).contains(request);
        assertThat(concatenated(chunks)).isEqualTo(FakeTrainer.artifact("iaf-1x1", 3, ""));
    }

    @Test
    void fetchArtifactPassesTheTrainersNotFoundThroughWithItsDescription() {
        Status noVersion = statusOf(() -> gateway.blocking().fetchArtifact(
                FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(9).build()).hasNext());
        Status noFile = statusOf(() -> gateway.blocking().fetchArtifact(
                FetchArtifactRequest.newBuilder().setModelName("other-model").setVersion(1).setFile("loss.csv").build()).hasNext());

        assertThat(noVersion.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(noVersion.getDescription()).isEqualTo("model 'iaf-1x1' has no version 9");
        assertThat(noFile.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(noFile.getDescription()).isEqualTo("model 'other-model' version 1 has no report file 'loss.csv'");
    }

    @Test
    void listModelsMarksTheVersionsTheInferenceServiceHasLoaded() {
        List<ModelVersion> models = gateway.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList();

        assertThat(models).extracting(m -> m.getModelName() + "/" + m.getVersion() + "=" + m.getLoaded())
                .containsExactly("iaf-1x1/1=true", "iaf-1x1/2=true", "iaf-1x1/3=false", "other-model/1=false");
    }

    @Test
    void listModelsPassesTheModelNameFilterToTheTrainer() {
        List<ModelVersion> models = gateway.blocking().listModels(ListModelsRequest.newBuilder().setModelName("other-model").build()).getModelsList();

        assertThat(models).extracting(ModelVersion::getModelName).containsExactly("other-model");
    }

    @Test
    void aSlowServiceIsCutOffAtTheConfiguredDeadline() {
        // %test.ns.gateway.unary-deadline=2s; the fake answers after 4 s
        CampaignSpec slow = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("sleep:4000").build();
        long start = System.nanoTime();

        Status status = statusOf(() -> gateway.blocking().startCampaign(slow));

        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(1.5, 3.8);
    }

    @Test
    void aForwardedCallCarriesTheConfiguredDeadline() {
        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("deadline-default").build();

        gateway.blocking().startCampaign(spec); // the caller allows 20 s

        long remaining = fakes.simulator.startDeadlinesMs.get(fakes.simulator.started.lastIndexOf(spec));
        assertThat(remaining).isBetween(1L, 2000L);
    }

    @Test
    void aCallersShorterDeadlineIsPassedOn() {
        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("deadline-caller").build();

        gateway.blocking().withDeadlineAfter(800, TimeUnit.MILLISECONDS).startCampaign(spec);

        long remaining = fakes.simulator.startDeadlinesMs.get(fakes.simulator.started.lastIndexOf(spec));
        assertThat(remaining).isBetween(1L, 800L);
    }

    @Test
    void aCallersDeadlineShorterThanASlowServiceEndsTheCallAndCancelsTheForwardedOne() throws InterruptedException {
        CampaignSpec slow = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("sleep:1900").build();
        long start = System.nanoTime();

        Status status = statusOf(() -> gateway.blocking().withDeadlineAfter(400, TimeUnit.MILLISECONDS).startCampaign(slow));

        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.5);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!fakes.simulator.cancelledStarts.contains(slow.getName()) && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        assertThat(fakes.simulator.cancelledStarts).as("the simulator's call was cancelled while it was still working").contains(slow.getName());
    }

    private static byte[] concatenated(List<ArtifactChunk> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ArtifactChunk c : chunks) {
            all.writeBytes(c.getData().toByteArray());
        }
        return all.toByteArray();
    }
}

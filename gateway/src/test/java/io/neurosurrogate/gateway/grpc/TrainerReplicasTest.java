package io.neurosurrogate.gateway.grpc;

import com.google.common.collect.ImmutableList;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.gateway.fakes.FakeReplicatedDownstreams;
import io.neurosurrogate.gateway.fakes.FakeTrainer;
import io.neurosurrogate.gateway.fakes.FakeTrainerReplica;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ns.gateway.trainer names two replicas, a and b: jobs of new models spread over both, a model's jobs stay on the
 * replica that numbers its versions, and calls about a job reach its replica.
 */
@QuarkusTest
@WithTestResource(FakeReplicatedDownstreams.class)
class TrainerReplicasTest extends ReplicatedFakesPerTest {
    @Test
    void jobsStartedOnIdleReplicasAlternateBetweenThem() {
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            owners.add(replicaOf(start("alternate-" + i)));
        }

        assertThat(fakes.a.started).hasSize(2);
        assertThat(fakes.b.started).hasSize(2);
        assertThat(owners.get(1)).isNotEqualTo(owners.get(0));
        assertThat(owners.get(2)).isEqualTo(owners.get(0));
        assertThat(owners.get(3)).isEqualTo(owners.get(1));
    }

    @Test
    void aNewJobGoesToTheReplicaWithFewerQueuedAndRunningJobs() {
        fakes.a.hold(JobState.JOB_STATE_QUEUED, 1);
        fakes.a.hold(JobState.JOB_STATE_TRAINING, 2);

        String first = replicaOf(start("least-1"));
        String second = replicaOf(start("least-2"));
        start("least-3");
        start("least-4");

        assertThat(first).isEqualTo("b");
        assertThat(second).isEqualTo("b");
        // then 2 unfinished each: one more for each replica
        assertThat(fakes.a.started).hasSize(1);
        assertThat(fakes.b.started).hasSize(3);
    }

    @Test
    void finishedJobsDoNotCountAsLoad() {
        fakes.a.hold(JobState.JOB_STATE_SUCCEEDED, 1);
        fakes.a.hold(JobState.JOB_STATE_FAILED, 2);
        fakes.a.hold(JobState.JOB_STATE_CANCELLED, 3);
        fakes.b.hold(JobState.JOB_STATE_WAITING_FOR_DATA, 4);

        assertThat(replicaOf(start("finished-do-not-count"))).isEqualTo("a");
        assertThat(fakes.b.started).isEmpty();
    }

    @Test
    void aModelStartedTwiceStaysOnItsReplicaEvenWhenTheOtherIsIdle() {
        TrainingJob first = start("twice");
        TrainingJob second = start("twice");
        replicas.forgetOwners();
        TrainingJob third = start("twice");

        String home = replicaOf(first);
        assertThat(replicaOf(second)).isEqualTo(home);
        assertThat(replicaOf(third)).isEqualTo(home);
        assertThat(other(home).started).isEmpty();
        // the second start went by memory; the third, forgotten, asked and found the unfinished job
        assertThat(fakes.a.listJobsCalls.get()).isEqualTo(2);
        assertThat(fakes.b.listJobsCalls.get()).isEqualTo(2);
    }

    @Test
    void aModelWithVersionsOnlyOnOneReplicaIsStartedThereThoughTheOtherIsIdle() {
        fakes.b.store("stored-on-b", 1);
        fakes.b.hold(JobState.JOB_STATE_TRAINING, 1);
        fakes.b.hold(JobState.JOB_STATE_QUEUED, 2);

        assertThat(replicaOf(start("stored-on-b"))).isEqualTo("b");
        assertThat(fakes.a.started).isEmpty();
    }

    @Test
    void aModelWithAnUnfinishedJobOnOneReplicaIsStartedThere() {
        fakes.b.hold(JobState.JOB_STATE_WAITING_FOR_DATA, 1, "queued-on-b");

        assertThat(replicaOf(start("queued-on-b"))).isEqualTo("b");
        assertThat(fakes.a.started).isEmpty();
    }

    @Test
    void aFinishedJobThatLeftNoVersionDoesNotTieTheModelToItsReplica() {
        fakes.a.hold(JobState.JOB_STATE_FAILED, 1, "failed-on-a");
        fakes.a.hold(JobState.JOB_STATE_TRAINING, 2);

        assertThat(replicaOf(start("failed-on-a"))).isEqualTo("b");
    }

    @Test
    void aModelHeldByBothReplicasGoesToTheOneWithTheHighestVersion() {
        fakes.a.store("on-both", 1);
        fakes.a.store("on-both", 3);
        fakes.b.store("on-both", 2);
        fakes.a.hold(JobState.JOB_STATE_TRAINING, 1);

        assertThat(replicaOf(start("on-both"))).isEqualTo("a");
        assertThat(replicaOf(start("on-both"))).isEqualTo("a");
        assertThat(fakes.b.started).isEmpty();
    }

    @Test
    void aModelWhoseReplicaIsDownIsUnavailableNamingThatReplicaAndIsNotStartedElsewhere() {
        fakes.b.store("homed-on-b", 1);
        assertThat(replicaOf(start("homed-on-b"))).isEqualTo("b");
        fakes.b.down = true;

        Status status = statusOf(() -> start("homed-on-b"));

        String b = fakes.address(fakes.b);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("model 'homed-on-b' keeps its versions on trainer replica " + b + ",")
                .contains("trainer service unavailable at " + b);
        assertThat(fakes.a.started).isEmpty();
    }

    @Test
    void newModelNamesStillGoToTheLessLoadedReplica() {
        fakes.a.store("busy", 1);
        start("busy");
        start("busy");

        String fresh1 = replicaOf(start("fresh-1"));
        String fresh2 = replicaOf(start("fresh-2"));
        start("fresh-3");
        start("fresh-4");

        // a holds two unfinished jobs of "busy": the first two new names go to b, then one each
        assertThat(fresh1).isEqualTo("b");
        assertThat(fresh2).isEqualTo("b");
        assertThat(fakes.a.started).extracting(TrainingJobSpec::getModelName).containsExactly("busy", "busy", "fresh-3");
        assertThat(fakes.b.started).extracting(TrainingJobSpec::getModelName).containsExactly("fresh-1", "fresh-2", "fresh-4");
    }

    @Test
    void concurrentStartsOfOneNewModelAllGoToOneReplica() throws InterruptedException, ExecutionException {
        NeuroSurrogateGrpc.NeuroSurrogateFutureStub stub = NeuroSurrogateGrpc.newFutureStub(gateway.channel);
        List<Future<TrainingJob>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(stub.withDeadlineAfter(20, TimeUnit.SECONDS).startTraining(spec("together")));
        }
        List<String> owners = new ArrayList<>();
        for (Future<TrainingJob> call : calls) {
            owners.add(replicaOf(call.get()));
        }

        assertThat(owners).hasSize(6).containsOnly(owners.get(0));
    }

    @Test
    void getWatchAndCancelReachTheReplicaThatStartedTheJob() {
        TrainingJob onA = start("owner-1");
        TrainingJob onB = start("owner-2");
        assertThat(List.of(replicaOf(onA), replicaOf(onB))).containsExactlyInAnyOrder("a", "b");
        TrainingJob bJob = replicaOf(onA).equals("b") ? onA : onB;
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(bJob.getJobId()).build();

        TrainingJob fetched = gateway.blocking().getTrainingJob(request);
        List<TrainingProgress> progress = ImmutableList.copyOf(gateway.blocking().watchTraining(request));
        TrainingJob cancelled = gateway.blocking().cancelTraining(request);

        assertThat(fetched.getJobId()).isEqualTo(bJob.getJobId());
        assertThat(progress).extracting(TrainingProgress::getMessage).containsOnly("b");
        assertThat(cancelled.getLatest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(fakes.b.state(bJob.getJobId())).isEqualTo(JobState.JOB_STATE_CANCELLED);
        // remembered from StartTraining: replica a was never asked
        assertThat(fakes.a.got).isEmpty();
        assertThat(fakes.a.watched).isEmpty();
        assertThat(fakes.a.cancelled).isEmpty();
    }

    @Test
    void aJobTheGatewayDoesNotRememberIsFoundByAskingTheReplicas() {
        TrainingJob onB = fakes.b.hold(JobState.JOB_STATE_TRAINING, 5);
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(onB.getJobId()).build();

        TrainingJob fetched = gateway.blocking().getTrainingJob(request);
        replicas.forgetOwners();
        List<TrainingProgress> progress = ImmutableList.copyOf(gateway.blocking().watchTraining(request));
        replicas.forgetOwners();
        TrainingJob cancelled = gateway.blocking().cancelTraining(request);

        assertThat(fetched).isEqualTo(onB);
        assertThat(progress).extracting(TrainingProgress::getState).containsExactly(JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_SUCCEEDED);
        assertThat(progress).extracting(TrainingProgress::getMessage).containsOnly("b");
        assertThat(cancelled.getLatest().getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
        assertThat(fakes.b.state(onB.getJobId())).isEqualTo(JobState.JOB_STATE_CANCELLED);
        // a was asked first each time and said NOT_FOUND
        assertThat(fakes.a.got).containsExactly(onB.getJobId());
        assertThat(fakes.a.watched).containsExactly(onB.getJobId());
        assertThat(fakes.a.cancelled).containsExactly(onB.getJobId());
    }

    @Test
    void cancellingAWatchOfAJobFoundByAskingCancelsTheOwnersStream() throws InterruptedException {
        TrainingJob onB = fakes.b.holdEndless();
        CountDownLatch ownerCancelled = fakes.b.watchCancelled;
        CountDownLatch firstUpdate = new CountDownLatch(1);
        Context.CancellableContext caller = Context.current().withCancellation();

        caller.run(() -> gateway.async().watchTraining(GetTrainingJobRequest.newBuilder().setJobId(onB.getJobId()).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(TrainingProgress value) {
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

        assertThat(ownerCancelled.await(10, TimeUnit.SECONDS)).as("the owner's stream cancelled").isTrue();
        assertThat(fakes.a.watched).containsExactly(onB.getJobId());
    }

    @Test
    void aJobFoundByAskingIsRememberedForTheNextCall() {
        TrainingJob onB = fakes.b.hold(JobState.JOB_STATE_QUEUED, 5);
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(onB.getJobId()).build();

        gateway.blocking().getTrainingJob(request);
        gateway.blocking().getTrainingJob(request);
        ImmutableList.copyOf(gateway.blocking().watchTraining(request));

        assertThat(fakes.a.got).hasSize(1);
        assertThat(fakes.a.watched).isEmpty();
        assertThat(fakes.b.got).hasSize(2);
        assertThat(fakes.b.watched).hasSize(1);
    }

    @Test
    void aJobNoReplicaHoldsIsNotFound() {
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId("j-nowhere").build();

        Status get = statusOf(() -> gateway.blocking().getTrainingJob(request));
        Status watch = statusOf(() -> gateway.blocking().watchTraining(request).hasNext());
        Status cancel = statusOf(() -> gateway.blocking().cancelTraining(request));

        for (Status s : List.of(get, watch, cancel)) {
            assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(s.getDescription()).isEqualTo("no training job 'j-nowhere'");
        }
        assertThat(fakes.a.got).containsExactly("j-nowhere");
        assertThat(fakes.b.got).containsExactly("j-nowhere");
        assertThat(fakes.b.watched).containsExactly("j-nowhere");
        assertThat(fakes.b.cancelled).containsExactly("j-nowhere");
    }

    @Test
    void listTrainingJobsMergesBothReplicasKeepingEachOnesOrder() {
        TrainingJob a1 = fakes.a.hold(JobState.JOB_STATE_SUCCEEDED, 100);
        TrainingJob b1 = fakes.b.hold(JobState.JOB_STATE_FAILED, 200);
        TrainingJob a2 = fakes.a.hold(JobState.JOB_STATE_TRAINING, 300);
        TrainingJob b2 = fakes.b.hold(JobState.JOB_STATE_QUEUED, 300);

        List<TrainingJob> jobs = gateway.blocking().listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();
        List<TrainingJob> again = gateway.blocking().listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();

        // newest update first; a tie goes to the replica listed first (a)
        assertThat(jobs).containsExactly(a2, b2, b1, a1);
        assertThat(again).isEqualTo(jobs);
        assertThat(fakes.a.listJobsCalls.get()).isEqualTo(2);
        assertThat(fakes.b.listJobsCalls.get()).isEqualTo(2);
    }

    @Test
    void fetchArtifactStreamsFromTheReplicaThatHoldsTheVersion() {
        fakes.a.store("iaf-1x1", 1);
        fakes.b.store("iaf-1x1", 2);
        FetchArtifactRequest request = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(2).build();
        byte[] expected = FakeTrainerReplica.artifact("b", "iaf-1x1", 2);

        List<ArtifactChunk> chunks = ImmutableList.copyOf(gateway.blocking().fetchArtifact(request));

        assertThat(fakes.a.fetched).containsExactly(request);
        assertThat(fakes.b.fetched).containsExactly(request);
        int chunk = FakeTrainer.ARTIFACT_CHUNK_BYTES;
        assertThat(chunks).extracting(ArtifactChunk::getOffset).containsExactly(0L, (long) chunk, 2L * chunk);
        assertThat(chunks).extracting(ArtifactChunk::getSha256).containsExactly(Sha256.of(expected), "", "");
        assertThat(concatenated(chunks)).isEqualTo(expected);
    }

    @Test
    void fetchArtifactStopsAtTheFirstReplicaThatHoldsTheVersion() {
        fakes.a.store("iaf-1x1", 1);
        fakes.b.store("iaf-1x1", 1);
        FetchArtifactRequest request = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(1).build();

        List<ArtifactChunk> chunks = ImmutableList.copyOf(gateway.blocking().fetchArtifact(request));

        assertThat(concatenated(chunks)).isEqualTo(FakeTrainerReplica.artifact("a", "iaf-1x1", 1));
        assertThat(fakes.b.fetched).isEmpty();
    }

    @Test
    void fetchArtifactOfAVersionNoReplicaHoldsIsNotFound() {
        fakes.a.store("iaf-1x1", 1);

        Status status = statusOf(() -> gateway.blocking().fetchArtifact(
                FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(9).build()).hasNext());

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("model 'iaf-1x1' has no version 9");
        assertThat(fakes.a.fetched).hasSize(1);
        assertThat(fakes.b.fetched).hasSize(1);
    }

    @Test
    void getDatasetIsAnsweredByTheFirstReplica() {
        DatasetInfo info = gateway.blocking().getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").build());

        assertThat(info.getCompleteSimulations()).isEqualTo(5);
        assertThat(fakes.a.datasetRequests).hasSize(1);
        assertThat(fakes.b.datasetRequests).isEmpty();
    }

    @Test
    void listModelsMergesEveryReplicasVersions() {
        fakes.a.store("iaf-1x1", 1);
        fakes.b.store("other-model", 1);
        fakes.b.store("iaf-1x1", 2);

        List<ModelVersion> models = gateway.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList();

        assertThat(models).extracting(m -> m.getModelName() + "/" + m.getVersion() + "@" + m.getTrainerAddress())
                .containsExactly("iaf-1x1/1@a", "iaf-1x1/2@b", "other-model/1@b");
    }

    private TrainingJob start(String name) {
        return gateway.blocking().startTraining(spec(name));
    }

    private static TrainingJobSpec spec(String name) {
        return TrainingJobSpec.newBuilder().setModelName(name).setNeuronModel("iaf").build();
    }

    private FakeTrainerReplica other(String replica) {
        return replica.equals("a") ? fakes.b : fakes.a;
    }

    /** "a" or "b": the replica whose job id it is, checked against what that replica received. */
    private String replicaOf(TrainingJob job) {
        String replica = job.getJobId().substring(0, 1);
        FakeTrainerReplica fake = replica.equals("a") ? fakes.a : fakes.b;
        assertThat(fake.holds(job.getJobId())).as("replica %s holds %s", replica, job.getJobId()).isTrue();
        return replica;
    }

    private static byte[] concatenated(List<ArtifactChunk> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ArtifactChunk c : chunks) {
            all.writeBytes(c.getData().toByteArray());
        }
        return all.toByteArray();
    }
}

package io.neurosurrogate.gateway.grpc;

import com.google.common.collect.ImmutableList;
import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeReplicatedDownstreams;
import io.neurosurrogate.gateway.fakes.FakeTrainerReplica;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** ns.gateway.trainer lists a replica that is down, then a and b: the gateway carries on with a and b. */
@QuarkusTest
@WithTestResource(value = FakeReplicatedDownstreams.class, initArgs = @ResourceArg(name = FakeReplicatedDownstreams.REPLICA_DOWN, value = "true"))
class TrainerReplicaDownTest extends ReplicatedFakesPerTest {
    @Test
    void startTrainingSucceedsOnTheReplicasThatAnswer() {
        for (int i = 0; i < 4; i++) {
            gateway.blocking().startTraining(TrainingJobSpec.newBuilder().setModelName("down-" + i).setNeuronModel("iaf").build());
        }

        assertThat(replicas.addresses()).hasSize(3).first().isEqualTo(fakes.down);
        assertThat(fakes.a.started).hasSize(2);
        assertThat(fakes.b.started).hasSize(2);
    }

    @Test
    void aModelHeldByAReplicaThatAnswersIsStartedThere() {
        fakes.b.store("held-past-the-down-one", 1);
        fakes.b.hold(JobState.JOB_STATE_TRAINING, 1);

        gateway.blocking().startTraining(TrainingJobSpec.newBuilder().setModelName("held-past-the-down-one").setNeuronModel("iaf").build());

        assertThat(fakes.a.started).isEmpty();
        assertThat(fakes.b.started).hasSize(1);
    }

    @Test
    void listTrainingJobsStillListsTheJobsOfTheReplicasThatAnswer() {
        TrainingJob onA = fakes.a.hold(JobState.JOB_STATE_TRAINING, 10);
        TrainingJob onB = fakes.b.hold(JobState.JOB_STATE_QUEUED, 20);

        List<TrainingJob> jobs = gateway.blocking().listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();

        assertThat(jobs).containsExactly(onB, onA);
    }

    @Test
    void listModelsStillListsTheVersionsOfTheReplicasThatAnswer() {
        fakes.b.store("iaf-1x1", 1);

        List<ModelVersion> models = gateway.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList();

        assertThat(models).extracting(ModelVersion::getTrainerAddress).containsExactly("b");
    }

    @Test
    void aJobIsFoundPastTheReplicaThatIsDown() {
        TrainingJob onB = fakes.b.hold(JobState.JOB_STATE_TRAINING, 5);
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(onB.getJobId()).build();

        TrainingJob fetched = gateway.blocking().getTrainingJob(request);
        replicas.forgetOwners();
        long updates = ImmutableList.copyOf(gateway.blocking().watchTraining(request)).size();

        assertThat(fetched).isEqualTo(onB);
        assertThat(updates).isEqualTo(2);
        assertThat(fakes.a.got).containsExactly(onB.getJobId());
        assertThat(fakes.a.watched).containsExactly(onB.getJobId());
    }

    @Test
    void aJobNoAnsweringReplicaHoldsIsUnavailableNamingTheReplicaThatIsDown() {
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId("j-nowhere").build();

        Status get = statusOf(() -> gateway.blocking().getTrainingJob(request));
        Status watch = statusOf(() -> gateway.blocking().watchTraining(request).hasNext());

        for (Status s : List.of(get, watch)) {
            assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(s.getDescription()).startsWith("trainer service unavailable at " + fakes.down)
                    .endsWith("the other replicas answered NOT_FOUND: no training job 'j-nowhere'");
        }
    }

    @Test
    void fetchArtifactAndGetDatasetPassTheReplicaThatIsDown() {
        fakes.b.store("iaf-1x1", 3);

        List<ArtifactChunk> chunks = ImmutableList.copyOf(gateway.blocking().fetchArtifact(
                FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(3).build()));
        int complete = gateway.blocking().getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").build()).getCompleteSimulations();

        assertThat(chunks.stream().mapToLong(c -> c.getData().size()).sum()).isEqualTo(FakeTrainerReplica.artifact("b", "iaf-1x1", 3).length);
        assertThat(chunks.get(0).getData().toStringUtf8()).startsWith("b:iaf-1x1/3/");
        assertThat(complete).isEqualTo(5);
        assertThat(fakes.a.datasetRequests).hasSize(1);
    }
}

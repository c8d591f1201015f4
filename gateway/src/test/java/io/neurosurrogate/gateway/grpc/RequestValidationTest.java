package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Invalid requests are refused with INVALID_ARGUMENT naming the field, and never forwarded. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class RequestValidationTest extends GatewayChannelPerTest {
    @InjectFakes
    Fakes fakes;

    @Test
    void anEmptyCampaignIsRefusedBeforeReachingTheSimulator() {
        int before = fakes.simulator.started.size();

        Status status = statusOf(() -> gateway.blocking().startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(0).build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("empty campaign").contains("count");
        assertThat(fakes.simulator.started).hasSize(before);
    }

    @Test
    void anUnknownNeuronModelIsRefusedNamingTheKnownOnes() {
        Status status = statusOf(() -> gateway.blocking().startCampaign(CampaignSpec.newBuilder().setNeuronModel("hodgkin").setCount(1).build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("neuron_model").contains("hodgkin").contains("iaf");
    }

    @Test
    void anUnknownEngineOrAMalformedMorphologyVariantIsRefused() {
        Status engine = statusOf(() -> gateway.blocking().startCampaign(
                CampaignSpec.newBuilder().setNeuronModel("l5pc-nmda").setEngine("brian").setCount(1).build()));
        Status variant = statusOf(() -> gateway.blocking().simulate(
                SimulateRequest.newBuilder().setNeuronModel("l5pc-nmda:../../etc/passwd").build()));
        Status unknownBase = statusOf(() -> gateway.blocking().simulate(
                SimulateRequest.newBuilder().setNeuronModel("hh:cell1").build()));

        assertThat(engine.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(engine.getDescription()).contains("engine").contains("brian");
        assertThat(variant.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(unknownBase.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aCampaignWithAnOutOfRangeDurationIsRefused() {
        Status status = statusOf(() -> gateway.blocking().startCampaign(
                CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setDurationMs(50).build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("duration_ms");
    }

    @Test
    void aBlankCampaignIdIsRefusedForGetAndWatch() {
        Status get = statusOf(() -> gateway.blocking().getCampaign(GetCampaignRequest.getDefaultInstance()));
        Status watch = statusOf(() -> gateway.blocking().watchCampaign(GetCampaignRequest.newBuilder().setCampaignId(" ").build()).hasNext());

        assertThat(get.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(get.getDescription()).contains("campaign_id");
        assertThat(watch.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(watch.getDescription()).contains("campaign_id");
    }

    @Test
    void aSimulationLongerThanOneMinuteIsRefused() {
        int before = fakes.simulator.simulated.size();

        Status status = statusOf(() -> gateway.blocking().simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(60_001).build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("duration_ms");
        assertThat(fakes.simulator.simulated).hasSize(before);
    }

    @Test
    void aTrainingJobWithABadModelNameOrNonFiniteNumberIsRefused() {
        int before = fakes.trainer.started.size();
        TrainingJobSpec good = TrainingJobSpec.newBuilder().setModelName("iaf-1x1").setNeuronModel("iaf").build();

        Status badName = statusOf(() -> gateway.blocking().startTraining(good.toBuilder().setModelName("../etc").build()));
        Status nan = statusOf(() -> gateway.blocking().startTraining(
                good.toBuilder().setConfig(TrainingConfig.newBuilder().setLearningRate(Double.NaN)).build()));
        Status negative = statusOf(() -> gateway.blocking().startTraining(good.toBuilder().setMinSimulations(-1).build()));

        assertThat(badName.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badName.getDescription()).contains("model_name");
        assertThat(nan.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(nan.getDescription()).contains("config.learning_rate");
        assertThat(negative.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(negative.getDescription()).contains("min_simulations");
        assertThat(fakes.trainer.started).hasSize(before);
    }

    @Test
    void aBlankJobIdIsRefused() {
        Status status = statusOf(() -> gateway.blocking().watchTraining(GetTrainingJobRequest.getDefaultInstance()).hasNext());

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("job_id");
    }

    @Test
    void cancellingWithABlankJobIdIsRefusedBeforeReachingTheTrainer() {
        int before = fakes.trainer.cancelled.size();

        Status empty = statusOf(() -> gateway.blocking().cancelTraining(GetTrainingJobRequest.getDefaultInstance()));
        Status blank = statusOf(() -> gateway.blocking().cancelTraining(GetTrainingJobRequest.newBuilder().setJobId("  ").build()));

        assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(empty.getDescription()).contains("job_id");
        assertThat(blank.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(fakes.trainer.cancelled).hasSize(before);
    }

    @Test
    void anArtifactFileThatIsAPathOrNotAReportFileNameIsRefusedBeforeReachingTheTrainer() {
        int before = fakes.trainer.fetched.size();
        FetchArtifactRequest model = FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(1).build();

        for (String bad : new String[]{"../x", "a/b", "Metrics.json", "m".repeat(129)}) {
            Status status = statusOf(() -> gateway.blocking().fetchArtifact(model.toBuilder().setFile(bad).build()).hasNext());

            assertThat(status.getCode()).as(bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).as(bad).contains("file").contains(bad);
        }
        assertThat(fakes.trainer.fetched).hasSize(before);
    }

    @Test
    void anArtifactOfANegativeVersionIsRefusedBeforeReachingTheTrainer() {
        int before = fakes.trainer.fetched.size();

        Status status = statusOf(() -> gateway.blocking().fetchArtifact(
                FetchArtifactRequest.newBuilder().setModelName("iaf-1x1").setVersion(-2).build()).hasNext());

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("version").contains("-2");
        assertThat(fakes.trainer.fetched).hasSize(before);
    }
}

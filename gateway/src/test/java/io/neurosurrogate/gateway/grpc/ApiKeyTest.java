package io.neurosurrogate.gateway.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Every call but a health check needs a known key with the scope its method needs. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class ApiKeyTest {
    @InjectFakes
    Fakes fakes;

    @Test
    void aCallWithoutAKeyIsUnauthenticated() throws InterruptedException {
        try (GatewayChannel anonymous = new GatewayChannel(null)) {
            Status status = statusOf(() -> anonymous.blocking().listModels(ListModelsRequest.getDefaultInstance()));

            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).isEqualTo("missing API key: send 'authorization: Bearer <key>'");
        }
    }

    @Test
    void aWrongKeyIsUnauthenticatedAndNotEchoed() throws InterruptedException {
        String wrong = "nsk_not_a_configured_key_4b8f2c19d0e7a6";
        try (GatewayChannel caller = new GatewayChannel(wrong)) {
            Status status = statusOf(() -> caller.blocking().listModels(ListModelsRequest.getDefaultInstance()));

            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).isEqualTo("unknown or revoked API key").doesNotContain(wrong);
        }
    }

    @Test
    void aKeyWithoutTheMethodsScopeIsPermissionDeniedAndTheCallIsNotForwarded() throws InterruptedException {
        TrainingJobSpec spec = TrainingJobSpec.newBuilder().setNeuronModel("iaf").setModelName("not-forwarded").build();
        try (GatewayChannel predictOnly = new GatewayChannel(TestKeys.PREDICT)) {
            Status status = statusOf(() -> predictOnly.blocking().startTraining(spec));

            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription())
                    .isEqualTo("API key 'test-predict' lacks scope 'train' needed by neurosurrogate.v1.NeuroSurrogate/StartTraining")
                    .doesNotContain(TestKeys.PREDICT);
        }
        assertThat(fakes.trainer.started).extracting(TrainingJobSpec::getModelName).doesNotContain("not-forwarded");
    }

    @Test
    void eachScopeReachesItsOwnMethodsOnly() throws InterruptedException {
        CampaignSpec campaign = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("scoped").build();
        try (GatewayChannel predict = new GatewayChannel(TestKeys.PREDICT); GatewayChannel train = new GatewayChannel(TestKeys.TRAIN)) {
            assertThat(predict.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList()).isNotEmpty();
            assertThat(train.blocking().startCampaign(campaign).getSpec()).isEqualTo(campaign);

            assertThat(statusOf(() -> predict.blocking().startCampaign(campaign)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(statusOf(() -> train.blocking().listModels(ListModelsRequest.getDefaultInstance())).getDescription())
                    .isEqualTo("API key 'test-train' lacks scope 'predict' needed by neurosurrogate.v1.NeuroSurrogate/ListModels");
        }
    }

    @Test
    void aKeyMayComeAsAnXApiKeyHeader() throws InterruptedException {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestKeys.PREDICT);
        try (GatewayChannel bare = new GatewayChannel(null)) {
            NeuroSurrogateGrpc.NeuroSurrogateBlockingStub stub = NeuroSurrogateGrpc.newBlockingStub(
                    ClientInterceptors.intercept(bare.channel, MetadataUtils.newAttachHeadersInterceptor(headers))).withDeadlineAfter(20, TimeUnit.SECONDS);

            assertThat(stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList()).isNotEmpty();
        }
    }

    @Test
    void aHealthCheckNeedsNoKey() throws InterruptedException {
        try (GatewayChannel anonymous = new GatewayChannel(null)) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(anonymous.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());

            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }
}

package io.neurosurrogate.e2e;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.neurosurrogate.client.IafPipeline;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole data flow through the gateway with the real broker: campaign -> traces on Kafka ->
 * dataset -> DL4J training -> ONNX -> model event -> inference -> prediction of fresh simulations.
 */
@ExtendWith(LocalStackExtension.class)
class PipelineEndToEndTest {

    @Test
    void trainsAndServesAnIafSurrogateThatPredictsHeldOutSimulations() throws Exception {
        try (NeuroSurrogateClient client = new NeuroSurrogateClient(LocalStackExtension.stack().gatewayAddress())) {
            IafPipeline.Settings settings = new IafPipeline.Settings(
                    Integer.getInteger("ns.e2e.sims", 64), 6000, 7, 8, Integer.getInteger("ns.e2e.epochs", 0), "iaf-reset", "iaf-e2e");
            IafPipeline.Result r = new IafPipeline(client, new IafPipeline.Listener() {
                @Override
                public void stage(String heading) {
                    System.out.println("== " + heading);
                }

                @Override
                public void detail(String line) {
                    System.out.println("   " + line);
                }
            }).run(settings);
            System.out.println(r.resultLine());

            assertThat(r.campaign().getCompleted()).isEqualTo(settings.sims());
            ModelVersion m = r.model();
            assertThat(m.getSha256()).hasSize(64);
            assertThat(m.getCard().getNeuronModel()).isEqualTo("iaf");
            assertThat(m.getCard().getMetrics().getOnnxMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(r.heldOut().spikes()).as("held-out simulations must contain output spikes").isGreaterThan(0);
            assertThat(r.heldOut().auc()).as("held-out spike AUC (paper: 0.9973)").isGreaterThanOrEqualTo(0.98);
            assertThat(r.heldOut().rmseMv()).as("held-out soma RMSE in mV (paper: 1.73)").isLessThanOrEqualTo(2.5);
            // The served model checks the input width against its card.
            PredictRequest wrongWidth = PredictRequest.newBuilder().setModelName("iaf-e2e").setBatch(1).setSynapses(99).setTimeMs(20)
                    .setDenseSpikes(ByteString.copyFrom(new byte[99 * 20 * 4])).build();
            assertThat(GatewayBadInputTest.assertStatus(() -> client.predict(wrongWidth), Status.Code.INVALID_ARGUMENT)).contains("100");
            assertThat(client.listModels()).anySatisfy(v -> {
                assertThat(v.getModelName()).isEqualTo("iaf-e2e");
                assertThat(v.getLoaded()).isTrue();
            });
        }
    }
}

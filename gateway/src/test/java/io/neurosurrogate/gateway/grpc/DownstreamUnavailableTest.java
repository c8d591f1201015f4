package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.neurosurrogate.gateway.fakes.FakeTrainer;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** With no service listening behind it, the gateway answers UNAVAILABLE naming the service and address. */
@QuarkusTest
@TestProfile(DownstreamUnavailableTest.NothingListening.class)
class DownstreamUnavailableTest extends GatewayChannelPerTest {
    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ns.gateway.simulator", "127.0.0.1:" + closedPort(),
                    "ns.gateway.trainer", "127.0.0.1:" + closedPort(),
                    "ns.gateway.inference", "127.0.0.1:" + closedPort());
        }

        /**
         * A loopback port with nothing listening on it, below the kernel's ephemeral range: a port from
         * bind(0) could be handed out again to this JVM's own servers (the gateway's random HTTP port)
         * or as the source port of an outgoing connection to it (a self-connected socket), and the
         * gateway then met something that is not the service (INTERNAL instead of UNAVAILABLE).
         */
        private static int closedPort() {
            int firstEphemeral = firstEphemeralPort();
            java.util.SplittableRandom random = new java.util.SplittableRandom();
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = 10_000 + random.nextInt(Math.max(1, firstEphemeral - 10_000));
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return socket.getLocalPort();
                } catch (IOException busy) {
                    // taken: try another
                }
            }
            throw new IllegalStateException("no free loopback port between 10000 and " + firstEphemeral);
        }

        /** Linux's first ephemeral port (net.ipv4.ip_local_port_range), 32768 where it cannot be read. */
        private static int firstEphemeralPort() {
            try {
                String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
                return Integer.parseInt(range.split("\\s+")[0]);
            } catch (IOException | RuntimeException e) {
                return 32768;
            }
        }
    }

    /** As the gateway was configured (the profile may run in another class loader than this test). */
    private static String address(String service) {
        return ConfigProvider.getConfig().getValue("ns.gateway." + service, String.class);
    }

    @Test
    void anUnreachableSimulatorIsUnavailableWithItsAddress() {
        Status unary = statusOf(() -> gateway.blocking().startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).build()));
        Status stream = statusOf(() -> gateway.blocking().watchCampaign(GetCampaignRequest.newBuilder().setCampaignId("c-1").build()).hasNext());

        assertThat(unary.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(unary.getDescription()).startsWith("simulator service unavailable at " + address("simulator"));
        assertThat(stream.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(stream.getDescription()).startsWith("simulator service unavailable at " + address("simulator"));
    }

    @Test
    void anUnreachableTrainerIsUnavailableWithItsAddress() {
        Status training = statusOf(() -> gateway.blocking().getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId("job-1").build()));
        Status models = statusOf(() -> gateway.blocking().listModels(ListModelsRequest.getDefaultInstance()));

        assertThat(training.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(training.getDescription()).startsWith("trainer service unavailable at " + address("trainer"));
        assertThat(models.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(models.getDescription()).startsWith("trainer service unavailable at " + address("trainer"));
    }

    @Test
    void anUnreachableInferenceServiceIsUnavailableWithItsAddress() {
        PredictRequest request = PredictRequest.newBuilder().setModelName("iaf-1x1").setBatch(1).setSynapses(1).setTimeMs(2)
                .setDenseSpikes(ByteString.copyFrom(new byte[8])).build();

        Status status = statusOf(() -> gateway.blocking().predict(request));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("inference service unavailable at " + address("inference"));
    }

    @Test
    void aStreamToAnUnreachableInferenceServiceIsUnavailableWithItsAddress() throws Exception {
        Status status = new StreamCaller(gateway.async()).send(StreamForwardingTest.open(1, "iaf-1x1", "")).status();

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("inference service unavailable at " + address("inference"));
    }

    @Test
    void aServiceThatComesUpAfterFailedCallsIsReachedWithoutWaitingOutTheReconnectBackoff() throws Exception {
        DatasetRequest request = DatasetRequest.newBuilder().setNeuronModel("iaf").build();
        for (int i = 0; i < 4; i++) { // grows grpc-java's reconnect backoff to several seconds
            assertThat(statusOf(() -> gateway.blocking().getDataset(request)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            Thread.sleep(50);
        }
        int port = Integer.parseInt(address("trainer").substring(address("trainer").lastIndexOf(':') + 1));
        Server trainer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(new FakeTrainer()).build().start();
        try {
            long start = System.nanoTime();
            boolean reached = false;
            while (!reached && System.nanoTime() - start < 700_000_000L) {
                try {
                    reached = gateway.blocking().getDataset(request).getCompleteSimulations() == 3;
                } catch (StatusRuntimeException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(reached).as("trainer reached within 0.7 s of coming up").isTrue();
        } finally {
            trainer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void invalidRequestsAreStillRefusedAsInvalidWhileServicesAreDown() {
        Status status = statusOf(() -> gateway.blocking().startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(0).build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}

package io.neurosurrogate.simulator.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.simulator.kafka.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The W3C trace context of a StartCampaign call (its {@code traceparent} header) reaches the trainer with the
 * campaign's trace chunks: every chunk record carries a {@code traceparent} header of the caller's trace.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class CampaignTraceContextTest {
    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void everyChunkOfACampaignCarriesTheTraceOfTheCallThatStartedIt() {
        String traceA = "4bf92f3577b34da6a3ce929d0e0e4736";
        String traceB = "0af7651916cd43dd8448eb211c80319c";
        // Two campaigns at once, on several workers each: each keeps its own caller's trace.
        String a = startUnder(traceA, "b7ad6b7169203331");
        String b = startUnder(traceB, "00f067aa0ba902b7");

        assertChunksCarry(a, traceA, "b7ad6b7169203331");
        assertChunksCarry(b, traceB, "00f067aa0ba902b7");
    }

    private String startUnder(String traceId, String parentSpanId) {
        Metadata headers = new Metadata();
        headers.put(TRACEPARENT, "00-" + traceId + "-" + parentSpanId + "-01");
        Campaign started = SimulatorServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(3).setDurationMs(600)
                        .setChunkMs(200).setSeed(7).setWorkers(3).build());
        return started.getCampaignId();
    }

    private void assertChunksCarry(String campaignId, String traceId, String callerSpanId) {
        List<ConsumerRecord<String, byte[]>> chunks = TopicRecords.exactly(bootstrapServers, Topics.TRACES,
                r -> r.key().startsWith(campaignId + "-"), 9);
        for (ConsumerRecord<String, byte[]> r : chunks) {
            Header traceparent = r.headers().lastHeader("traceparent");
            assertThat(traceparent).as("traceparent of %s@%d", r.key(), r.offset()).isNotNull();
            String value = new String(traceparent.value(), StandardCharsets.UTF_8);
            // version-traceid-spanid-flags: the caller's trace, sampled; the span is the simulator's server span.
            assertThat(value).matches("00-" + traceId + "-[0-9a-f]{16}-01");
            assertThat(value).doesNotContain(callerSpanId);
        }
    }
}

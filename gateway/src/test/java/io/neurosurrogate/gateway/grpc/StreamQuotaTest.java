package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.gateway.limits.StreamSlots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A key holds at most its quota of open streams; a slot frees when a stream ends, however it ends. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class StreamQuotaTest extends GatewayChannelPerTest {
    @InjectFakes
    Fakes fakes;
    @Inject
    StreamSlots slots;

    @Test
    void theThirdOpenStreamOfAKeyWithTwoIsRefusedAndANewOneOpensOnceOneEnds() throws Exception {
        try (GatewayChannel caller = new GatewayChannel(TestKeys.STREAMS)) { // test-streams: streams=2
            StreamCaller first = opened(caller, 501);
            StreamCaller second = opened(caller, 502);

            StreamCaller third = new StreamCaller(caller.async()).send(StreamForwardingTest.open(503, "iaf-1x1", ""));
            Status refused = third.status();

            assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getDescription()).isEqualTo("key 'test-streams' already has 2 open streams, its limit; close one or retry in 1000 ms");
            assertThat(RateLimitTest.retryDelay(refused.asRuntimeException(third.trailers()))).isEqualTo(Duration.ofSeconds(1));
            assertThat(gateway.blocking().listModels(io.neurosurrogate.proto.v1.ListModelsRequest.getDefaultInstance()).getModelsList())
                    .as("other keys are unaffected").isNotEmpty();

            first.halfClose();
            assertThat(first.status().getCode()).isEqualTo(Status.Code.OK);
            StreamCaller fourth = opened(caller, 504);

            second.cancel();
            long until = System.nanoTime() + 3_000_000_000L; // the cancellation reaches the gateway a moment later
            while (slots.openStreams("test-streams") > 1 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            StreamCaller fifth = opened(caller, 505);

            fourth.halfClose();
            fifth.halfClose();
            assertThat(fourth.status().getCode()).isEqualTo(Status.Code.OK);
            assertThat(fifth.status().getCode()).isEqualTo(Status.Code.OK);
        }
    }

    /** A stream through {@code caller} that the gateway opened (its open request answered). */
    private static StreamCaller opened(GatewayChannel caller, long id) throws InterruptedException {
        StreamCaller stream = new StreamCaller(caller.async()).send(StreamForwardingTest.open(id, "iaf-1x1", ""));
        assertThat(stream.next().getRequestId()).isEqualTo(id);
        return stream;
    }
}

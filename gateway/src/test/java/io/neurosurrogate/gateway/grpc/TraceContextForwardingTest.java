package io.neurosurrogate.gateway.grpc;

import com.google.common.collect.ImmutableList;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.gateway.fakes.ReceivedHeaders;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller's W3C trace context ({@code traceparent}) goes through the gateway to the service that does the work:
 * the downstream call carries the caller's trace id, with the gateway's own span as the parent.
 */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class TraceContextForwardingTest extends GatewayChannelPerTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @InjectFakes
    Fakes fakes;

    @Test
    void aUnaryCallReachesTheSimulatorInTheCallersTrace() {
        String name = "traced-" + System.nanoTime();
        traced().startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName(name).build());

        assertInCallersTrace(lastCall(SimulatorServiceGrpc.getStartCampaignMethod().getFullMethodName()));
    }

    @Test
    void aStreamingCallReachesTheSimulatorInTheCallersTrace() {
        List<?> updates = ImmutableList.copyOf(traced().watchCampaign(GetCampaignRequest.newBuilder().setCampaignId("c-9").build()));

        assertThat(updates).isNotEmpty();
        assertInCallersTrace(lastCall(SimulatorServiceGrpc.getWatchCampaignMethod().getFullMethodName()));
    }

    @Test
    void aTrainingJobReachesTheTrainerReplicaInTheCallersTrace() {
        traced().startTraining(TrainingJobSpec.newBuilder().setModelName("traced").setNeuronModel("iaf").build());

        assertInCallersTrace(lastCall(TrainerServiceGrpc.getStartTrainingMethod().getFullMethodName()));
    }

    @Test
    void aCallWithoutTraceContextStartsATraceThatTheSimulatorJoins() {
        gateway.blocking().startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).build());

        String traceparent = lastCall(SimulatorServiceGrpc.getStartCampaignMethod().getFullMethodName()).get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain(TRACE_ID);
    }

    private NeuroSurrogateGrpc.NeuroSurrogateBlockingStub traced() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");
        return gateway.blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private ReceivedHeaders.Call lastCall(String method) {
        List<ReceivedHeaders.Call> calls = fakes.headers.of(method);
        assertThat(calls).as("calls of %s", method).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    private static void assertInCallersTrace(ReceivedHeaders.Call call) {
        String traceparent = call.get("traceparent");
        assertThat(traceparent).as("traceparent of %s", call.method()).isNotNull()
                .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01")
                .as("the parent is the gateway's span, not the caller's").doesNotContain(CALLER_SPAN_ID);
    }
}

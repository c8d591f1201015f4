package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.FakeStream;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.oip.GRPCInferenceServiceGrpc;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Bytes that are not a request, and requests over the size limit, get the caller's fault codes. */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class MalformedRequestTest extends GatewayChannelPerTest {
    @InjectFakes
    Fakes fakes;

    @Test
    void randomBytesSentToAnyMethodOfEitherApiAreInvalidArgument() {
        Random random = new Random(42);
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>(NeuroSurrogateGrpc.getServiceDescriptor().getMethods());
        methods.addAll(GRPCInferenceServiceGrpc.getServiceDescriptor().getMethods());
        for (MethodDescriptor<?, ?> method : methods) {
            byte[] garbage = new byte[64];
            random.nextBytes(garbage);
            garbage[0] = 0; // tag 0 is never valid, so these bytes cannot parse as any message

            Status status = statusOf(() -> callRaw(method, garbage));

            assertThat(status.getCode()).as(method.getFullMethodName()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).as(method.getFullMethodName()).startsWith("malformed request: ");
        }
    }

    @Test
    void aTruncatedMessageIsInvalidArgument() {
        byte[] whole = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(3).setName("truncated").build().toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);

        Status status = statusOf(() -> callRaw(NeuroSurrogateGrpc.getStartCampaignMethod(), truncated));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith("malformed request: ");
    }

    @Test
    void aRequestOverTheInboundLimitIsResourceExhausted() {
        // %test.quarkus.grpc.server.max-inbound-message-size=1048576
        PredictRequest huge = PredictRequest.newBuilder().setModelName("iaf-1x1").setBatch(1).setSynapses(100).setTimeMs(3000)
                .setDenseSpikes(ByteString.copyFrom(new byte[100 * 3000 * 4])).build();

        Status status = statusOf(() -> gateway.blocking().predict(huge));

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void theGatewayKeepsServingAfterBadInput() {
        for (int i = 0; i < 3; i++) {
            statusOf(() -> callRaw(NeuroSurrogateGrpc.getPredictMethod(), new byte[]{0, 1, 2, 3}));
            statusOf(() -> gateway.blocking().predict(PredictRequest.newBuilder().setDenseSpikes(ByteString.copyFrom(new byte[2_000_000])).build()));
        }

        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setName("after bad input").build();
        assertThat(gateway.blocking().startCampaign(spec).getSpec()).isEqualTo(spec);
    }

    @Test
    void bytesThatAreNotARequestMidStreamEndTheStreamAndCancelTheDownstreamCall() throws Exception {
        MethodDescriptor<byte[], byte[]> raw = rawMethod(NeuroSurrogateGrpc.getStreamMethod(), MethodDescriptor.MethodType.BIDI_STREAMING);
        Received<byte[]> responses = new Received<>();
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(gateway.channel.newCall(raw, CallOptions.DEFAULT), responses);
        requests.onNext(StreamForwardingTest.open(77, "iaf-1x1", "").toByteArray());
        responses.next();
        FakeStream downstream = fakes.inference.streamOpenedBy(77);

        requests.onNext(new byte[]{0, 1, 2, 3});

        Status status = responses.status();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith("malformed request: ");
        assertThat(downstream.cancelled.await(10, TimeUnit.SECONDS)).as("downstream call cancelled").isTrue();
        assertThat(downstream.requests).hasSize(1);
    }

    /** Sends raw bytes as the request of {@code method}; the answer is read back as bytes. */
    private Object callRaw(MethodDescriptor<?, ?> method, byte[] body) {
        return ClientCalls.blockingUnaryCall(gateway.channel, rawMethod(method, MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body);
    }

    /** {@code method} with its messages as plain bytes, called as {@code type}. */
    private static MethodDescriptor<byte[], byte[]> rawMethod(MethodDescriptor<?, ?> method, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE)
                .setFullMethodName(method.getFullMethodName())
                .setType(type)
                .build();
    }

    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

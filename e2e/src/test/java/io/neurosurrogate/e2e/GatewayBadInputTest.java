package io.neurosurrogate.e2e;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.neurosurrogate.client.ApiKeyHeader;
import io.neurosurrogate.client.ApiKeys;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SimulateRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad requests through the public endpoint get the right status and a message; the system keeps serving. */
@ExtendWith(LocalStackExtension.class)
class GatewayBadInputTest {

    @Test
    void malformedProtobufIsInvalidArgument() {
        ManagedChannel ch = NettyChannelBuilder.forTarget(LocalStackExtension.stack().gatewayAddress()).usePlaintext().build();
        try {
            Channel withKey = ApiKeyHeader.on(ch, LocalStackExtension.stack().apiKey());
            MethodDescriptor<byte[], byte[]> raw = NeuroSurrogateGrpc.getPredictMethod().toBuilder(new RawMarshaller(), new RawMarshaller()).build();
            byte[] garbage = new byte[300];
            new Random(1).nextBytes(garbage);
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(withKey, raw, CallOptions.DEFAULT, garbage));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isNotBlank();
        } finally {
            ch.shutdownNow();
        }
        stillServing();
    }

    @Test
    void aCallWithoutAKeyOrWithAWrongOneIsUnauthenticated() {
        try (NeuroSurrogateClient anonymous = new NeuroSurrogateClient(LocalStackExtension.stack().gatewayAddress());
             NeuroSurrogateClient wrong = new NeuroSurrogateClient(LocalStackExtension.stack().gatewayAddress(), ApiKeys.generate())) {
            assertStatus(() -> anonymous.stub().listModels(ListModelsRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
            assertStatus(() -> wrong.stub().listModels(ListModelsRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
        }
        stillServing();
    }

    @Test
    void oversizeRequestIsResourceExhausted() {
        try (NeuroSurrogateClient client = client()) {
            // 80 MiB of dense spikes: over the gateway's 64 MiB message limit.
            int time = 80 * 1024 * 1024 / 4 / 100;
            PredictRequest r = PredictRequest.newBuilder().setModelName("iaf-demo").setBatch(1).setSynapses(100).setTimeMs(time)
                    .setDenseSpikes(ByteString.copyFrom(new byte[100 * time * 4])).build();
            assertStatus(() -> client.predict(r), Status.Code.RESOURCE_EXHAUSTED);
        }
        stillServing();
    }

    @Test
    void wrongTensorShapeNanAndEmptyEncodingsAreInvalidArgument() {
        try (NeuroSurrogateClient client = client()) {
            PredictRequest shape = PredictRequest.newBuilder().setModelName("iaf-demo").setBatch(2).setSynapses(100).setTimeMs(50)
                    .setDenseSpikes(ByteString.copyFrom(new byte[100 * 50 * 4])).build();  // bytes for batch 1
            assertThat(assertStatus(() -> client.predict(shape), Status.Code.INVALID_ARGUMENT)).contains("dense_spikes");

            ByteBuffer nan = ByteBuffer.allocate(100 * 50 * 4).order(ByteOrder.LITTLE_ENDIAN);
            nan.putFloat(4 * 17, Float.NaN);
            PredictRequest withNan = shape.toBuilder().setBatch(1).setDenseSpikes(ByteString.copyFrom(nan.array())).build();
            assertThat(assertStatus(() -> client.predict(withNan), Status.Code.INVALID_ARGUMENT)).containsIgnoringCase("non-finite");

            PredictRequest neither = shape.toBuilder().setBatch(1).clearDenseSpikes().build();
            assertStatus(() -> client.predict(neither), Status.Code.INVALID_ARGUMENT);
        }
        stillServing();
    }

    @Test
    void unknownModelIsNotFound() {
        try (NeuroSurrogateClient client = client()) {
            PredictRequest r = PredictRequest.newBuilder().setModelName("no-such-model").setBatch(1).setSynapses(100).setTimeMs(10)
                    .setDenseSpikes(ByteString.copyFrom(new byte[100 * 10 * 4])).build();
            assertThat(assertStatus(() -> client.predict(r), Status.Code.NOT_FOUND)).contains("no-such-model");
        }
        stillServing();
    }

    @Test
    void emptyOrUnknownCampaignsAreRejected() {
        try (NeuroSurrogateClient client = client()) {
            assertThat(assertStatus(() -> client.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(0).build()),
                    Status.Code.INVALID_ARGUMENT)).contains("count");
            assertStatus(() -> client.startCampaign(CampaignSpec.newBuilder().setNeuronModel("no-such-neuron").setCount(1).build()),
                    Status.Code.INVALID_ARGUMENT);
            assertStatus(() -> client.stub().getCampaign(GetCampaignRequest.newBuilder().setCampaignId("c-doesnotexist").build()),
                    Status.Code.NOT_FOUND);
            assertStatus(() -> client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(-5).build()),
                    Status.Code.INVALID_ARGUMENT);
        }
        stillServing();
    }

    /** After bad input, a good request still succeeds end to end. */
    private static void stillServing() {
        try (NeuroSurrogateClient client = client()) {
            assertThat(client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(200).setSeed(3).build())
                    .getTrace().getSomaMvCount()).isEqualTo(200);
            client.stub().listModels(ListModelsRequest.getDefaultInstance());
        }
    }

    private static NeuroSurrogateClient client() {
        return new NeuroSurrogateClient(LocalStackExtension.stack().gatewayAddress(), LocalStackExtension.stack().apiKey());
    }

    static String assertStatus(Supplier<?> call, Status.Code code) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
        assertThat(e).as("expected " + code).isNotNull();
        assertThat(e.getStatus().getCode()).as(String.valueOf(e.getStatus())).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).as("a message for the caller").isNotBlank();
        return e.getStatus().getDescription();
    }

    static final class RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
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

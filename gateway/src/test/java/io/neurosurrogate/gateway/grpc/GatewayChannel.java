package io.neurosurrogate.gateway.grpc;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import org.assertj.core.api.ThrowableAssert;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A plaintext channel to the gateway under test, as an outside caller would open it: with the admin test key
 * ({@link TestKeys}) on every call unless the test names another key or none.
 */
final class GatewayChannel implements AutoCloseable {
    /** Every call made on it carries the channel's key. */
    final Channel channel;
    private final ManagedChannel managed;

    GatewayChannel() {
        this(TestKeys.ADMIN);
    }

    /** @param apiKey sent as {@code authorization: Bearer <apiKey>}; null sends no key */
    GatewayChannel(String apiKey) {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        managed = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channel = apiKey == null ? managed : ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(bearer(apiKey)));
    }

    static Metadata bearer(String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return headers;
    }

    NeuroSurrogateGrpc.NeuroSurrogateBlockingStub blocking() {
        return NeuroSurrogateGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    NeuroSurrogateGrpc.NeuroSurrogateStub async() {
        return NeuroSurrogateGrpc.newStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        managed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The status a call failed with; fails the test when the call succeeds. */
    static Status statusOf(ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call should fail").isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) thrown).getStatus();
    }
}

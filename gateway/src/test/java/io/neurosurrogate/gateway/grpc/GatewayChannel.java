package io.neurosurrogate.gateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import org.assertj.core.api.ThrowableAssert;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A plaintext channel to the gateway under test, as an outside caller would open it. */
final class GatewayChannel implements AutoCloseable {
    final ManagedChannel channel;

    GatewayChannel() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    NeuroSurrogateGrpc.NeuroSurrogateBlockingStub blocking() {
        return NeuroSurrogateGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    NeuroSurrogateGrpc.NeuroSurrogateStub async() {
        return NeuroSurrogateGrpc.newStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The status a call failed with; fails the test when the call succeeds. */
    static Status statusOf(ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call should fail").isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) thrown).getStatus();
    }
}

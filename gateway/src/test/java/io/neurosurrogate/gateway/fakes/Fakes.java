package io.neurosurrogate.gateway.fakes;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The three service doubles, each on its own grpc-java server on a free loopback port. */
public final class Fakes implements RunningFakes {
    public final FakeSimulator simulator = new FakeSimulator();
    public final FakeTrainer trainer = new FakeTrainer();
    public final FakeInference inference = new FakeInference();
    /** The headers of every call the three doubles received. */
    public final ReceivedHeaders headers = new ReceivedHeaders();
    private final Server simulatorServer;
    private final Server trainerServer;
    private final Server inferenceServer;

    public Fakes() {
        simulatorServer = serve(simulator, headers);
        trainerServer = serve(trainer, headers);
        inferenceServer = serve(inference, headers);
    }

    @Override
    public String simulatorAddress() {
        return address(simulatorServer);
    }

    @Override
    public String trainerAddress() {
        return address(trainerServer);
    }

    @Override
    public String inferenceAddress() {
        return address(inferenceServer);
    }

    @Override
    public void close() throws InterruptedException {
        for (Server s : List.of(simulatorServer, trainerServer, inferenceServer)) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static Server serve(io.grpc.BindableService service, ServerInterceptor... interceptors) {
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(service, interceptors)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String address(Server server) {
        return "127.0.0.1:" + server.getPort();
    }
}

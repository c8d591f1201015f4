package io.neurosurrogate.gateway.fakes;

import io.grpc.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service doubles with the trainer as two replicas, {@link #a} and {@link #b}, each on its own
 * grpc-java server; optionally listed behind a first replica that is down (nothing listens there).
 */
public final class ReplicatedFakes implements RunningFakes {
    /** The simulator and inference doubles (its single trainer is not used). */
    public final Fakes services = new Fakes();
    public final FakeTrainerReplica a = new FakeTrainerReplica("a");
    public final FakeTrainerReplica b = new FakeTrainerReplica("b");
    /** host:port of the replica that is down, or null. */
    public final String down;
    private final Server aServer = Fakes.serve(a::withDownSwitch);
    private final Server bServer = Fakes.serve(b::withDownSwitch);

    public ReplicatedFakes(boolean withReplicaDown) {
        down = withReplicaDown ? "127.0.0.1:" + closedPort() : null;
    }

    @Override
    public String simulatorAddress() {
        return services.simulatorAddress();
    }

    /** ns.gateway.trainer: the replica that is down (if any), a, b. */
    @Override
    public String trainerAddress() {
        List<String> all = new ArrayList<>();
        if (down != null) {
            all.add(down);
        }
        all.add(address(a));
        all.add(address(b));
        return String.join(",", all);
    }

    @Override
    public String inferenceAddress() {
        return services.inferenceAddress();
    }

    public String address(FakeTrainerReplica replica) {
        return Fakes.address(replica == a ? aServer : bServer);
    }

    public void reset() {
        a.reset();
        b.reset();
    }

    @Override
    public void close() throws InterruptedException {
        for (Server s : List.of(aServer, bServer)) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        services.close();
    }

    /** A loopback port that was free a moment ago and has nothing listening on it. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

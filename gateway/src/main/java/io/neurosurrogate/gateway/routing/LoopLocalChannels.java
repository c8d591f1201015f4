package io.neurosurrogate.gateway.routing;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoop;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A replica's channels for relayed streams, one per event loop of the gateway's own gRPC server, each bound
 * to that loop: a stream opened on a loop (the service method runs there) talks to the replica through that
 * loop's channel, so a step request is read from the caller, checked and written downstream, and its answer
 * read and written back, all on one thread. With the shared channel each message crossed to another
 * thread (grpc-java's own event loops) and back: two thread wake-ups per step on the critical path, which
 * on a 2-core machine cost more than the gateway's own work (BENCHMARKS.md, session 12).
 *
 * <p>A channel connects lazily on its first stream. Off the server's loops (a worker thread, a test) and for
 * a loop that is not NIO (Vert.x native transport), {@link #current} is empty and the caller uses the shared
 * channel.
 */
final class LoopLocalChannels {
    private final EventLoopGroup loops;
    private final Function<EventLoop, ManagedChannel> open;
    private final Map<EventExecutor, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    /**
     * @param loops the event loops that run the gateway server's calls (Vert.x's)
     * @param open  builds a channel to the replica whose transport runs on the given loop (its own event loop group)
     */
    LoopLocalChannels(EventLoopGroup loops, Function<EventLoop, ManagedChannel> open) {
        this.loops = loops;
        this.open = open;
    }

    /** The channel bound to the event loop this thread runs, opened now if it is the loop's first stream. */
    Optional<ManagedChannel> current() {
        if (shutdown) {
            return Optional.empty();
        }
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                if (!(loop instanceof NioEventLoop nio)) {
                    return Optional.empty();
                }
                ManagedChannel channel = channels.computeIfAbsent(loop, l -> open.apply(nio));
                if (shutdown) { // shut down while this one was being opened
                    channel.shutdownNow();
                    return Optional.empty();
                }
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** The channels opened so far. */
    List<ManagedChannel> opened() {
        return new ArrayList<>(channels.values());
    }

    void forEach(Consumer<ManagedChannel> action) {
        channels.values().forEach(action);
    }

    /** Shuts every channel down now; later streams use the shared channel (which is shut down as well). */
    void shutdownNow() {
        shutdown = true;
        forEach(ManagedChannel::shutdownNow);
    }
}

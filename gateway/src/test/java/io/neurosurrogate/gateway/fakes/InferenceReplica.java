package io.neurosurrogate.gateway.fakes;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One inference service replica: a {@link FakeInference} on its own grpc-java server, which can be killed
 * ({@code shutdownNow}, as a replica that dies) and started again on the same port, or switched "down" (it
 * then answers every call UNAVAILABLE, as a replica going away, and counts the calls that still reach it).
 */
public final class InferenceReplica {
    public final String name;
    public final FakeInference inference = new FakeInference();
    /** Every call that reached the server, answered or refused. */
    public final AtomicInteger calls = new AtomicInteger();
    private final int port;
    private volatile boolean down;
    private Server server;
    /** The server's own handler threads, so that killing it also waits for calls it was still handling. */
    private ExecutorService handlers;

    InferenceReplica(String name) {
        this.name = name;
        this.server = serve(0);
        this.port = server.getPort();
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Kills the server as a dying replica goes: every call under way is cut, nothing listens on the port any more. */
    public synchronized void kill() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            // A terminated grpc-java server may still be running handlers it had dispatched: once kill returns,
            // nothing this replica records may change (its calls were cut either way).
            handlers.shutdown();
            handlers.awaitTermination(5, TimeUnit.SECONDS);
            server = null;
        }
    }

    /** Serves again on the same port, with the same double; a no-op while it serves. */
    public synchronized void restart() {
        if (server == null) {
            server = serve(port);
        }
    }

    /** While down, every call is answered UNAVAILABLE (and counted). */
    public void down(boolean isDown) {
        down = isDown;
    }

    /** Serving, up, and with nothing recorded. */
    public void reset() {
        restart();
        down = false;
        calls.set(0);
        inference.predicted.clear();
        inference.streams.clear();
        inference.listCalls.set(0);
        inference.loaded.set(FakeInference.DEFAULT_LOADED);
    }

    synchronized void close() throws InterruptedException {
        kill();
    }

    private Server serve(int onPort) {
        try {
            handlers = Executors.newCachedThreadPool();
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort)).executor(handlers)
                    .addService(withDownSwitch()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerServiceDefinition withDownSwitch() {
        return ServerInterceptors.intercept(inference.bindService(), new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                calls.incrementAndGet();
                if (!down) {
                    return next.startCall(call, headers);
                }
                call.close(Status.UNAVAILABLE.withDescription("inference replica " + name + " is going away"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        });
    }
}

package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * One internal service behind the gateway: its channel, its name for error messages and the deadline for
 * unary calls. Calls start in the caller's gRPC {@link Context}, so a caller's deadline and cancellation
 * reach the downstream call as well.
 */
public final class Downstream {
    private final String name;
    private final String address;
    private final ManagedChannel channel;
    private final Duration unaryDeadline;

    public Downstream(String name, String address, ManagedChannel channel, Duration unaryDeadline) {
        this.name = name;
        this.address = address;
        this.channel = channel;
        this.unaryDeadline = unaryDeadline;
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    /** A unary call whose deadline is the shorter of the configured one and the caller's. */
    public <Q, R> ListenableFuture<R> unary(MethodDescriptor<Q, R> method, Q request) {
        Deadline deadline = Deadline.after(unaryDeadline.toNanos(), TimeUnit.NANOSECONDS);
        Deadline callers = Context.current().getDeadline();
        if (callers != null) {
            deadline = deadline.minimum(callers);
        }
        ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
        ListenableFuture<R> raw = ClientCalls.futureUnaryCall(call, request);
        SettableFuture<R> out = SettableFuture.create();
        Futures.addCallback(raw, new FutureCallback<>() {
            @Override
            public void onSuccess(R result) {
                out.set(result);
            }

            @Override
            public void onFailure(Throwable t) {
                out.setException(translate(t));
            }
        }, MoreExecutors.directExecutor());
        // Cancelling what we hand out cancels the downstream call (GrpcFuture cancels its ClientCall).
        out.addListener(() -> {
            if (out.isCancelled()) {
                raw.cancel(false);
            }
        }, MoreExecutors.directExecutor());
        return out;
    }

    /**
     * Relays a server stream to {@code out}. Server streams (campaign and training progress) may run for
     * hours, so they get no deadline of ours; the caller's deadline still applies through the context.
     * Call it from the service method: that is where the caller's cancellation can still be hooked.
     */
    public <Q, R> void relayStream(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> out) {
        CallerStream<R> caller = new CallerStream<>(out);
        caller.follow(openStream(method, request, caller));
    }

    /**
     * Opens a server stream (no deadline of ours, as {@link #relayStream}) whose messages and end go to
     * {@code to}, a failure {@linkplain #translate translated}; the call is returned so that it can be
     * cancelled. It starts in the current gRPC context.
     */
    public <Q, R> ClientCall<Q, R> openStream(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> to) {
        ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT);
        ClientCalls.asyncServerStreamingCall(call, request, new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                to.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                to.onError(translate(t));
            }

            @Override
            public void onCompleted() {
                to.onCompleted();
            }
        });
        return call;
    }

    /**
     * Relays a bidirectional stream between the caller and one downstream call for the stream's whole life
     * (see {@link StreamRelay}): each request goes through {@code check} (given its place in the stream, 0 for
     * the first) before it is forwarded. Like {@link #relayStream}, no deadline of ours; call it from the
     * service method and return what it returns.
     */
    public <Q, R> StreamObserver<Q> relayBidiStream(MethodDescriptor<Q, R> method, StreamObserver<R> out, ObjLongConsumer<Q> check) {
        StreamRelay<Q, R> relay = new StreamRelay<>((ServerCallStreamObserver<R>) out, check, this::translate);
        // The relay's callbacks only forward and never block, so they run on the transport's thread: no hand-off
        // to another executor per message (one per step request and one per answer of a co-simulation).
        ClientCalls.asyncBidiStreamingCall(channel.newCall(method, CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor())),
                relay.fromDownstream());
        return relay.fromCaller();
    }

    /**
     * A call for a stream its caller drives itself (message by message, as the Open Inference Protocol's
     * ModelStreamInfer does): no deadline of ours, started in the current gRPC context, callbacks on the
     * transport thread (they must not block).
     */
    public <Q, R> ClientCall<Q, R> newStreamCall(MethodDescriptor<Q, R> method) {
        return channel.newCall(method, CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor()));
    }

    /**
     * Downstream statuses pass through unchanged, except UNAVAILABLE: whether the client library made it up
     * (connection refused, connection lost mid-call) or the service said so itself, the caller learns which
     * service behind the gateway is unavailable and where, followed by the original description.
     */
    public StatusRuntimeException translate(Throwable t) {
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return status.asRuntimeException(trailers);
        }
        // A service that was down may be back: let the next call try a fresh connection instead of failing
        // fast until grpc-java's exponential reconnect backoff (up to two minutes) runs out.
        channel.resetConnectBackoff();
        String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
        Throwable cause = status.getCause();
        String because = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return Status.UNAVAILABLE.withDescription(name + " unavailable at " + address + detail + because).withCause(cause)
                .asRuntimeException(trailers);
    }

    void shutdown() {
        channel.shutdownNow();
    }
}

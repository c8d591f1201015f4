package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * One internal service behind the gateway: its replicas (one or several, see {@link Replica}), its name for
 * error messages and the deadline for unary calls. Calls start in the caller's gRPC {@link Context}, so a
 * caller's deadline and cancellation reach the downstream call as well.
 *
 * <p>With several replicas: unary calls are spread round-robin over the replicas whose circuit breaker is
 * closed ({@link ReplicaRotation}); an idempotent one that finds its replica gone is tried again on another
 * ({@link RetriedUnaryCall}); every stream is pinned to one replica for its whole life ({@link PinnedCall}).
 * With one replica every call goes there, as it always did.
 */
public final class Downstream {
    /** Whether a unary call may be made again after its replica went away mid-call. */
    public enum Idempotency { IDEMPOTENT, NOT_IDEMPOTENT }

    private final String name;
    private final ReplicaRotation rotation;
    private final Duration unaryDeadline;
    private final int maxAttempts;
    private final Idempotency unaryDefault;

    /** One replica whose calls are not retried; its breaker keeps the default settings (3 failures, 5 s). */
    public Downstream(String name, String address, ManagedChannel channel, Duration unaryDeadline) {
        this(name, List.of(new Replica(name, address, channel, new CircuitBreaker(name + " at " + address, 3, Duration.ofSeconds(5), System::nanoTime))),
                unaryDeadline, 1, Idempotency.NOT_IDEMPOTENT);
    }

    /**
     * @param maxAttempts  attempts of an idempotent unary call in all (1: never retried)
     * @param unaryDefault what {@link #unary(MethodDescriptor, Object)} assumes of a method
     */
    Downstream(String name, List<Replica> replicas, Duration unaryDeadline, int maxAttempts, Idempotency unaryDefault) {
        this.name = name;
        this.rotation = new ReplicaRotation(replicas);
        this.unaryDeadline = unaryDeadline;
        this.maxAttempts = maxAttempts;
        this.unaryDefault = unaryDefault;
    }

    public String name() {
        return name;
    }

    /** The configured address, or the replicas' addresses comma separated. */
    public String address() {
        List<String> addresses = new ArrayList<>();
        for (Replica r : rotation.replicas()) {
            addresses.add(r.address());
        }
        return String.join(",", addresses);
    }

    /** The replicas, in configured order, each with its circuit state. */
    public List<Replica> replicas() {
        return rotation.replicas();
    }

    /**
     * A unary call whose deadline is the shorter of the configured one and the caller's; retried on another
     * replica when this downstream takes its calls for idempotent (the inference service does).
     */
    public <Q, R> ListenableFuture<R> unary(MethodDescriptor<Q, R> method, Q request) {
        return unary(method, request, unaryDefault);
    }

    /**
     * A unary call as {@link #unary(MethodDescriptor, Object)}: an {@link Idempotency#IDEMPOTENT} one that
     * finds its replica gone (UNAVAILABLE, or reset by a replica shutting down) is made again on another replica,
     * up to {@code ns.gateway.routing.max-attempts} in all, within the same deadline; other failures are the
     * answer. A failure names the replica of the last attempt, and every attempt's replica after "attempts:".
     */
    public <Q, R> ListenableFuture<R> unary(MethodDescriptor<Q, R> method, Q request, Idempotency idempotency) {
        Deadline deadline = Deadline.after(unaryDeadline.toNanos(), TimeUnit.NANOSECONDS);
        Deadline callers = Context.current().getDeadline();
        if (callers != null) {
            deadline = deadline.minimum(callers);
        }
        int attempts = idempotency == Idempotency.IDEMPOTENT ? maxAttempts : 1;
        return new RetriedUnaryCall<>(rotation, method, request, deadline, attempts).start();
    }

    /**
     * A call on one replica, chosen now (round-robin among those whose breaker is closed, one without a recent
     * failure first), for the call's whole life: for a bidirectional stream whose state lives on the replica. When that replica goes away the call
     * ends UNAVAILABLE naming it; it never moves. Start it in the context whose deadline and cancellation
     * should reach it, as any {@link ClientCall}.
     */
    public <Q, R> PinnedCall<Q, R> newPinnedCall(MethodDescriptor<Q, R> method, CallOptions options) {
        Replica replica = rotation.pickForLife();
        return new PinnedCall<>(replica, replica.streamChannel().newCall(method, options));
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
     * Opens a server stream (no deadline of ours, as {@link #relayStream}) on one replica, whose messages and
     * end go to {@code to}, a failure {@linkplain #translate translated}; the call is returned so that it can be
     * cancelled. It starts in the current gRPC context.
     */
    public <Q, R> ClientCall<Q, R> openStream(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> to) {
        ClientCall<Q, R> call = newPinnedCall(method, CallOptions.DEFAULT);
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
     * Relays a bidirectional stream between the caller and one downstream call, on one replica, for the stream's
     * whole life (see {@link StreamRelay} and {@link #newPinnedCall}): each request goes through {@code check}
     * (given its place in the stream, 0 for the first) before it is forwarded. Like {@link #relayStream}, no
     * deadline of ours; call it from the service method and return what it returns.
     */
    public <Q, R> StreamObserver<Q> relayBidiStream(MethodDescriptor<Q, R> method, StreamObserver<R> out, ObjLongConsumer<Q> check) {
        StreamRelay<Q, R> relay = new StreamRelay<>((ServerCallStreamObserver<R>) out, check, this::translate);
        // The relay's callbacks only forward and never block, so they run on the transport's thread: no hand-off
        // to another executor per message (one per step request and one per answer of a co-simulation).
        ClientCalls.asyncBidiStreamingCall(newPinnedCall(method, CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor())),
                relay.fromDownstream());
        return relay.fromCaller();
    }

    /**
     * Downstream statuses pass through unchanged, except UNAVAILABLE: whether the client library made it up
     * (connection refused, connection lost mid-call) or the service said so itself, the caller learns which
     * service behind the gateway is unavailable and where, followed by the original description. A failure of
     * a call made through this class already names its replica and passes unchanged.
     */
    public StatusRuntimeException translate(Throwable t) {
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return status.asRuntimeException(trailers);
        }
        String prefix = name + " unavailable at ";
        if (status.getDescription() != null && status.getDescription().startsWith(prefix)) {
            return status.asRuntimeException(trailers);
        }
        for (Replica r : rotation.replicas()) {
            r.resetConnectBackoff();
        }
        String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
        Throwable cause = status.getCause();
        String because = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return Status.UNAVAILABLE.withDescription(prefix + address() + detail + because).withCause(cause)
                .asRuntimeException(trailers);
    }

    void shutdown() {
        for (Replica r : rotation.replicas()) {
            r.shutdownNow();
        }
    }
}

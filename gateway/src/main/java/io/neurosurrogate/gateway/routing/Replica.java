package io.neurosurrogate.gateway.routing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * One replica of a service behind the gateway: its channel (one configured target: a host:port, or a
 * {@code dns:///} name whose addresses the channel spreads calls over) and its {@link CircuitBreaker}.
 * It also decides what a call's end says about the replica, and words its failures so that the caller
 * learns which replica it was.
 */
public final class Replica {
    private final String service;
    private final String address;
    private final ManagedChannel channel;
    private final CircuitBreaker breaker;
    /** Streams' channels bound to the gateway server's event loops; null: streams use {@link #channel} too. */
    private final LoopLocalChannels loopChannels;

    Replica(String service, String address, ManagedChannel channel, CircuitBreaker breaker) {
        this(service, address, channel, null, breaker);
    }

    Replica(String service, String address, ManagedChannel channel, LoopLocalChannels loopChannels, CircuitBreaker breaker) {
        this.service = service;
        this.address = address;
        this.channel = channel;
        this.loopChannels = loopChannels;
        this.breaker = breaker;
    }

    /** The target as configured (host:port or dns:///name:port). */
    public String address() {
        return address;
    }

    /** The state of its circuit breaker, for tests and diagnostics. */
    public CircuitBreaker.State circuit() {
        return breaker.state();
    }

    /**
     * Whether a call may go to the replica now (its breaker is closed, or this is a half-open breaker's trial);
     * the caller then owes the breaker the call's outcome ({@link #record}).
     */
    boolean admit() {
        boolean trial = breaker.state() != CircuitBreaker.State.CLOSED;
        if (!breaker.tryAcquire()) {
            return false;
        }
        if (trial) {
            // The trial must reach the replica, not fail at once because grpc-java waits out its reconnect backoff.
            resetConnectBackoff();
        }
        return true;
    }

    /** The channel for unary calls (and for streams opened off the server's event loops). */
    ManagedChannel channel() {
        return channel;
    }

    /**
     * The channel for a stream opened on this thread: the one bound to this thread's event loop when the
     * gateway's server runs on it ({@link LoopLocalChannels}), else {@link #channel()}.
     */
    ManagedChannel streamChannel() {
        return loopChannels == null ? channel : loopChannels.current().orElse(channel);
    }

    /** The streams' loop-bound channels, or null. */
    LoopLocalChannels loopChannels() {
        return loopChannels;
    }

    /** Lets every channel to the replica try a fresh connection now instead of waiting out its reconnect backoff. */
    void resetConnectBackoff() {
        channel.resetConnectBackoff();
        if (loopChannels != null) {
            loopChannels.forEach(ManagedChannel::resetConnectBackoff);
        }
    }

    void shutdownNow() {
        if (loopChannels != null) {
            loopChannels.shutdownNow();
        }
        channel.shutdownNow();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Whether a call that ended with {@code status} found the replica gone: UNAVAILABLE (refused, reset, lost
     * mid-call), or CANCELLED that neither the gateway nor its caller asked for (grpc-java resets the calls of a
     * server that shuts down with CANCEL).
     */
    static boolean replicaGone(Status status, boolean callerGaveUp) {
        return status.getCode() == Status.Code.UNAVAILABLE || (status.getCode() == Status.Code.CANCELLED && !callerGaveUp);
    }

    /** Tells the breaker what a call's end says about the replica. */
    void record(Status status, boolean callerGaveUp) {
        if (replicaGone(status, callerGaveUp)) {
            breaker.onFailure();
        } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED || status.getCode() == Status.Code.CANCELLED) {
            breaker.onNoVerdict();
        } else {
            breaker.onAnswer();
        }
    }

    /**
     * The status the gateway's caller sees: a replica that is gone is UNAVAILABLE naming the service and this
     * replica's address, followed by the original description and cause; any other status passes unchanged.
     * A failure already worded so passes unchanged too.
     */
    Status translate(Status status, boolean callerGaveUp) {
        if (!replicaGone(status, callerGaveUp)) {
            return status;
        }
        String prefix = service + " unavailable at ";
        if (status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() != null && status.getDescription().startsWith(prefix)) {
            return status;
        }
        // A replica that was down may be back: let the next call try a fresh connection instead of failing
        // fast until grpc-java's exponential reconnect backoff (up to two minutes) runs out.
        resetConnectBackoff();
        String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
        if (status.getCode() == Status.Code.CANCELLED) {
            detail = ": the replica ended the call (" + status.getCode() + detail + ")";
        }
        Throwable cause = status.getCause();
        String because = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return Status.UNAVAILABLE.withDescription(prefix + address + detail + because).withCause(cause);
    }

    StatusRuntimeException translate(Throwable t, boolean callerGaveUp) {
        Metadata trailers = Status.trailersFromThrowable(t);
        return translate(Status.fromThrowable(t), callerGaveUp).asRuntimeException(trailers);
    }

    @Override
    public String toString() {
        return service + " at " + address;
    }
}

package io.neurosurrogate.gateway.routing;

import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * A call on one replica, chosen when the call was made, for the call's whole life: a stream's state lives on
 * that replica, so the call never moves. When the replica goes away the call ends UNAVAILABLE naming it (the
 * caller opens a new stream, which goes to a replica that is there); other statuses pass unchanged. The call's
 * end, and its first response headers, tell the replica's circuit breaker whether the replica answers.
 *
 * <p>Use it as any {@link ClientCall}; start it (a call made and never started holds a half-open breaker's
 * trial until {@code open-for} has passed).
 */
public final class PinnedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    private final Replica replica;
    private volatile boolean cancelledHere;

    PinnedCall(Replica replica, ClientCall<Q, R> call) {
        super(call);
        this.replica = replica;
    }

    /** The replica the call is pinned to (its configured address). */
    public String replica() {
        return replica.address();
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
        Context callers = Context.current();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            private volatile boolean answered;

            @Override
            public void onHeaders(Metadata responseHeaders) {
                answered = true;
                replica.breaker().onAnswer();
                super.onHeaders(responseHeaders);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                boolean callerGaveUp = cancelledHere || callers.isCancelled();
                if (!answered || Replica.replicaGone(status, callerGaveUp)) {
                    replica.record(status, callerGaveUp);
                }
                super.onClose(replica.translate(status, callerGaveUp), trailers);
            }
        }, headers);
    }

    @Override
    public void cancel(String message, Throwable cause) {
        cancelledHere = true;
        super.cancel(message, cause);
    }
}

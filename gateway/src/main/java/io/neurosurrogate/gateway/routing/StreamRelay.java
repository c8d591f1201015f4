package io.neurosurrogate.gateway.routing;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.grpc.GrpcStatuses;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

/**
 * A caller's bidirectional stream tied to one downstream call for its whole life: each request is checked,
 * then forwarded; each response is passed back; both in order.
 *
 * <p>Flow control reaches from end to end: the caller is asked for its next request only when the downstream
 * call can take one, and the downstream service for its next response only when the caller can take one, so
 * at most one message per direction waits in the gateway, whatever the speed of either end.
 *
 * <p>A request that fails its check ends the caller's stream with that status (INVALID_ARGUMENT) and cancels
 * the downstream call; so does the caller cancelling or its call being closed by the transport (bytes that
 * are not a request). The downstream service's end ends the caller's stream; its status reaches the caller
 * {@linkplain Downstream#translate translated}.
 *
 * <p>Threads: the caller's callbacks arrive one at a time on the server's executor, the downstream call's
 * on the client's. Only the caller's callbacks send on, end or cancel the downstream call; both sides feed
 * or end the caller's stream, under this object's lock. isReady() and request(n) may be called from any thread.
 */
final class StreamRelay<Q, R> {
    private final ServerCallStreamObserver<R> caller;
    private final ObjLongConsumer<Q> check;
    private final Function<Throwable, StatusRuntimeException> translate;
    /** A request was asked of the caller and has not arrived yet; the first one is asked for at once. */
    private final AtomicBoolean callerAsked = new AtomicBoolean(true);
    /** A response was asked of the downstream call and has not arrived yet; the first one is asked for at start. */
    private final AtomicBoolean downstreamAsked = new AtomicBoolean(true);
    private volatile ClientCallStreamObserver<Q> downstream;
    /** Requests received from the caller so far (server executor only). */
    private long received;
    /** The caller's stream has ended (guarded by this). */
    private boolean closed;

    /**
     * @param caller    the server's observer for the caller's stream; it must still be in the service method
     *                  (grpc-java takes its handlers and manual flow control only before that returns)
     * @param check     throws for a request that must not be forwarded; gets the request's place in the stream (0 = first)
     * @param translate turns the downstream call's failure into the status the caller sees
     */
    StreamRelay(ServerCallStreamObserver<R> caller, ObjLongConsumer<Q> check, Function<Throwable, StatusRuntimeException> translate) {
        this.caller = caller;
        this.check = check;
        this.translate = translate;
        caller.disableAutoRequest();
        caller.setOnReadyHandler(this::askDownstream);
        caller.setOnCancelHandler(() -> callerGone("the gateway's caller cancelled"));
        // Also runs when the call was closed under the service's feet (StrictRequestParsing refusing bytes).
        caller.setOnCloseHandler(() -> callerGone("the gateway's caller stream closed"));
    }

    /** What the downstream call reports to: set it up as the call's response observer. */
    ClientResponseObserver<Q, R> fromDownstream() {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> call) {
                downstream = call;
                call.disableAutoRequestWithInitial(1);
                call.setOnReadyHandler(StreamRelay.this::askCaller);
            }

            @Override
            public void onNext(R response) {
                downstreamAsked.set(false);
                sendToCaller(response);
                askDownstream();
            }

            @Override
            public void onError(Throwable t) {
                closeCaller(translate.apply(t));
            }

            @Override
            public void onCompleted() {
                closeCaller(null);
            }
        };
    }

    /** What the caller's requests go to: return it from the service method, once the downstream call has started. */
    StreamObserver<Q> fromCaller() {
        caller.request(1);
        return new StreamObserver<>() {
            @Override
            public void onNext(Q request) {
                callerAsked.set(false);
                if (isClosed()) {
                    return;
                }
                try {
                    check.accept(request, received++);
                } catch (RuntimeException e) {
                    StatusRuntimeException refused = GrpcStatuses.toStatus(e, "gateway");
                    // the caller's stream first: the downstream call's CANCELLED must not reach the caller instead
                    closeCaller(refused);
                    downstream.cancel("the gateway refused a request: " + refused.getStatus().getDescription(), null);
                    return;
                }
                downstream.onNext(request);
                askCaller();
            }

            @Override
            public void onError(Throwable t) {
                callerGone("the gateway's caller failed: " + t.getMessage());
            }

            @Override
            public void onCompleted() {
                if (!isClosed()) {
                    downstream.onCompleted();
                }
            }
        };
    }

    /** The caller is gone: nothing more goes to it, and the downstream call is cancelled (a no-op once it has ended). */
    private void callerGone(String why) {
        synchronized (this) {
            closed = true;
        }
        downstream.cancel(why, null);
    }

    private synchronized void sendToCaller(R response) {
        if (closed) {
            return;
        }
        try {
            caller.onNext(response);
        } catch (RuntimeException e) {
            closed = true; // the caller cancelled meanwhile, before its handler ran; nothing left to tell it
        }
    }

    /** Ends the caller's stream with {@code failure}, or completes it when that is null; once only. */
    private synchronized void closeCaller(StatusRuntimeException failure) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure != null) {
                caller.onError(failure);
            } else {
                caller.onCompleted();
            }
        } catch (RuntimeException e) {
            // the caller cancelled meanwhile, before its handler ran; nothing left to tell it
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void askCaller() {
        if (!isClosed() && downstream.isReady() && callerAsked.compareAndSet(false, true)) {
            caller.request(1);
        }
    }

    private void askDownstream() {
        if (!isClosed() && caller.isReady() && downstreamAsked.compareAndSet(false, true)) {
            downstream.request(1);
        }
    }
}

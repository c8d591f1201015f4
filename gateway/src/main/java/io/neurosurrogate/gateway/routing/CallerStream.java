package io.neurosurrogate.gateway.routing;

import io.grpc.ClientCall;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway caller's end of a relayed server stream. When the caller cancels, the downstream call that
 * feeds the stream at that moment is cancelled; once the caller is gone nothing more is sent to it. The
 * feeding call may change (a stream tried on one trainer replica after another), but only one feeds it
 * at a time.
 *
 * <p>Create it in the service method: grpc-java accepts a cancellation handler only before that returns.
 */
public final class CallerStream<R> implements StreamObserver<R> {
    private final StreamObserver<R> out;
    private final ServerCallStreamObserver<R> server;
    private final AtomicReference<ClientCall<?, ?>> feeding = new AtomicReference<>();

    public CallerStream(StreamObserver<R> out) {
        this.out = out;
        this.server = out instanceof ServerCallStreamObserver<R> s ? s : null;
        if (server != null) {
            server.setOnCancelHandler(this::cancelFeeding);
        }
    }

    /** The downstream call that feeds the stream from now on; cancelled at once when the caller already left. */
    public void follow(ClientCall<?, ?> call) {
        feeding.set(call);
        if (cancelled()) {
            cancelFeeding();
        }
    }

    public boolean cancelled() {
        return server != null && server.isCancelled();
    }

    @Override
    public void onNext(R value) {
        if (!cancelled()) {
            out.onNext(value);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!cancelled()) {
            out.onError(t);
        }
    }

    @Override
    public void onCompleted() {
        if (!cancelled()) {
            out.onCompleted();
        }
    }

    private void cancelFeeding() {
        ClientCall<?, ?> call = feeding.get();
        if (call != null) {
            call.cancel("the gateway's caller cancelled", null);
        }
    }
}

package io.neurosurrogate.gateway.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.grpc.GrpcStatuses;

import java.util.function.Supplier;

/** How the gateway's endpoints answer: a future's value or its failure as a gRPC status, once. */
final class Replies {

    private Replies() {
    }

    /** Runs {@code work} and answers with the value of the future it returns; a thrown or failed outcome becomes a status. */
    static <R> void unary(StreamObserver<R> out, Supplier<ListenableFuture<R>> work) {
        ListenableFuture<R> result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            fail(out, e);
            return;
        }
        Futures.addCallback(result, new FutureCallback<>() {
            @Override
            public void onSuccess(R value) {
                try {
                    out.onNext(value);
                    out.onCompleted();
                } catch (RuntimeException e) {
                    // the caller went away meanwhile; nothing left to tell it
                }
            }

            @Override
            public void onFailure(Throwable t) {
                fail(out, t);
            }
        }, MoreExecutors.directExecutor());
    }

    /** Starts a stream's work; a failure to start ends the call with its status. */
    static <R> void stream(StreamObserver<R> out, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            fail(out, e);
        }
    }

    static void fail(StreamObserver<?> out, Throwable t) {
        try {
            out.onError(GrpcStatuses.toStatus(t, "gateway"));
        } catch (RuntimeException e) {
            // the call is already closed or cancelled
        }
    }
}

package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

import java.util.ArrayList;
import java.util.List;

/**
 * One unary call over a service's replicas: each attempt goes to a replica the {@link ReplicaRotation}
 * chooses; an attempt that finds its replica gone ({@link Replica#replicaGone}) is made again on another
 * replica, up to {@code maxAttempts} in all and within the one deadline of the whole call. Any other status
 * is the answer: INVALID_ARGUMENT, NOT_FOUND or DEADLINE_EXCEEDED would only be repeated. Every attempt
 * starts in the caller's gRPC context, so the caller's cancellation ends the call wherever it is.
 */
final class RetriedUnaryCall<Q, R> {
    private final ReplicaRotation rotation;
    private final MethodDescriptor<Q, R> method;
    private final Q request;
    private final Deadline deadline;
    private final int maxAttempts;
    private final Context callers = Context.current();
    private final SettableFuture<R> out = SettableFuture.create();
    private final List<Replica> tried = new ArrayList<>();
    private volatile ListenableFuture<R> attempt;

    /** @param maxAttempts 1 for a call that must not be repeated */
    RetriedUnaryCall(ReplicaRotation rotation, MethodDescriptor<Q, R> method, Q request, Deadline deadline, int maxAttempts) {
        this.rotation = rotation;
        this.method = method;
        this.request = request;
        this.deadline = deadline;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /** Starts the first attempt in the current context; cancelling the result cancels the attempt under way. */
    ListenableFuture<R> start() {
        out.addListener(() -> {
            ListenableFuture<R> current = attempt;
            if (out.isCancelled() && current != null) {
                current.cancel(false);
            }
        }, MoreExecutors.directExecutor());
        next();
        return out;
    }

    private void next() {
        Replica replica;
        synchronized (tried) {
            replica = rotation.pick(tried);
            tried.add(replica);
        }
        ListenableFuture<R> call = ClientCalls.futureUnaryCall(replica.channel().newCall(method, CallOptions.DEFAULT.withDeadline(deadline)), request);
        attempt = call;
        if (out.isCancelled()) {
            call.cancel(false);
        }
        Futures.addCallback(call, new FutureCallback<>() {
            @Override
            public void onSuccess(R result) {
                replica.breaker().onAnswer();
                out.set(result);
            }

            @Override
            public void onFailure(Throwable t) {
                ended(replica, t);
            }
        }, MoreExecutors.directExecutor());
    }

    private void ended(Replica replica, Throwable t) {
        Status status = Status.fromThrowable(t);
        boolean callerGaveUp = out.isCancelled() || callers.isCancelled();
        replica.record(status, callerGaveUp);
        int attempts;
        synchronized (tried) {
            attempts = tried.size();
        }
        if (Replica.replicaGone(status, callerGaveUp) && attempts < maxAttempts && !deadline.isExpired()) {
            callers.run(this::next);
            return;
        }
        StatusRuntimeException failure = replica.translate(t, callerGaveUp);
        out.setException(attempts > 1 ? withAttempts(failure) : failure);
    }

    /** The last attempt's failure, followed by where the call went before. */
    private StatusRuntimeException withAttempts(StatusRuntimeException failure) {
        List<String> where = new ArrayList<>();
        synchronized (tried) {
            for (Replica r : tried) {
                where.add(r.address());
            }
        }
        Status status = failure.getStatus();
        return status.withDescription(status.getDescription() + "; attempts: " + String.join(", ", where))
                .asRuntimeException(failure.getTrailers());
    }
}

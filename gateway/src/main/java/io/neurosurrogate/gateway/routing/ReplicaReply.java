package io.neurosurrogate.gateway.routing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.grpc.GrpcStatuses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One trainer replica's answer to one call: a value, or a failure as a status. A replica that is
 * UNAVAILABLE or runs past the deadline did not answer; NOT_FOUND means it does not hold what was asked for.
 */
record ReplicaReply<R>(Downstream replica, R value, StatusRuntimeException error) {

    static <R> ReplicaReply<R> answered(Downstream replica, R value) {
        return new ReplicaReply<>(replica, value, null);
    }

    static <R> ReplicaReply<R> failed(Downstream replica, Throwable t) {
        return new ReplicaReply<>(replica, null, GrpcStatuses.toStatus(t, "gateway"));
    }

    boolean ok() {
        return error == null;
    }

    boolean unanswered() {
        Status.Code code = code();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    boolean notFound() {
        return code() == Status.Code.NOT_FOUND;
    }

    private Status.Code code() {
        return error == null ? Status.Code.OK : error.getStatus().getCode();
    }

    /** The failure in words, naming the replica (an UNAVAILABLE from {@link Downstream#translate} already does). */
    String failure() {
        Status status = error.getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            return status.getDescription();
        }
        return replica.name() + " at " + replica.address() + ": " + status.getCode() + " " + status.getDescription();
    }

    /**
     * The status for a call that no replica took: NOT_FOUND when every replica said so (their distinct
     * descriptions, usually one), otherwise UNAVAILABLE naming the replicas that did not answer and adding
     * what the others said.
     */
    static StatusRuntimeException noneTook(List<? extends ReplicaReply<?>> replies) {
        List<String> unanswered = new ArrayList<>();
        Set<String> notFound = new LinkedHashSet<>();
        for (ReplicaReply<?> r : replies) {
            if (r.notFound()) {
                notFound.add(r.error().getStatus().getDescription());
            } else {
                unanswered.add(r.failure());
            }
        }
        if (unanswered.isEmpty()) {
            return Status.NOT_FOUND.withDescription(String.join("; ", notFound)).asRuntimeException();
        }
        String others = notFound.isEmpty() ? "" : "; the other replicas answered NOT_FOUND: " + String.join("; ", notFound);
        return Status.UNAVAILABLE.withDescription(String.join("; ", unanswered) + others).asRuntimeException();
    }
}

package io.neurosurrogate.gateway.routing;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the replica for a call (or for a retry of one): round-robin over the replicas whose circuit breaker
 * lets a call through, those the call has not tried yet first. When every breaker is open the call goes to
 * the next replica in turn anyway (one not tried yet first): refusing would turn a moment when every replica
 * was down into {@code open-for} of refused calls after they are back, and with a single replica it would
 * refuse where the replica may well answer.
 *
 * <p>A call that cannot be retried (a stream: its state lives on its replica) also passes over a replica whose
 * last call failed recently ({@link CircuitBreaker#failedRecently}) while another has no such failure: the
 * stream that just lost its replica is reopened on one that is there, not on the dead one before its breaker
 * has counted enough failures to open.
 */
final class ReplicaRotation {
    private final List<Replica> replicas;
    private final AtomicInteger turn = new AtomicInteger();

    ReplicaRotation(List<Replica> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replica to route to");
        }
        this.replicas = List.copyOf(replicas);
    }

    List<Replica> replicas() {
        return replicas;
    }

    /**
     * A replica for the next attempt of a call that already went to {@code tried}. When the chosen replica's
     * breaker let the call through, the caller owes it the call's outcome ({@link Replica#record}); see {@link Replica#admit}.
     */
    Replica pick(Collection<Replica> tried) {
        return pick(tried, false);
    }

    /** A replica for a call that will not be retried elsewhere: one without a recent failure first. */
    Replica pickForLife() {
        return pick(List.of(), true);
    }

    private Replica pick(Collection<Replica> tried, boolean avoidRecentFailures) {
        int n = replicas.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        if (avoidRecentFailures) {
            for (int k = 0; k < n; k++) {
                Replica r = replicas.get((start + k) % n);
                if (!r.breaker().failedRecently() && r.admit()) {
                    return r;
                }
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            boolean wantTried = pass == 1;
            for (int k = 0; k < n; k++) {
                Replica r = replicas.get((start + k) % n);
                if (tried.contains(r) == wantTried && r.admit()) {
                    return r;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            Replica r = replicas.get((start + k) % n);
            if (!tried.contains(r)) {
                return r;
            }
        }
        return replicas.get(start);
    }
}

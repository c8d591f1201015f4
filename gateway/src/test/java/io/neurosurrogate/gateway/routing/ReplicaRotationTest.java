package io.neurosurrogate.gateway.routing;

import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Choosing replicas: in turn, past open circuits, to untried ones first; to an open one when all are open. */
class ReplicaRotationTest {
    private long now = 1;
    private final Replica a = replica("h:1");
    private final Replica b = replica("h:2");
    private final Replica c = replica("h:3");
    private final ReplicaRotation rotation = new ReplicaRotation(List.of(a, b, c));

    @AfterEach
    void close() {
        for (Replica r : List.of(a, b, c)) {
            r.channel().shutdownNow();
        }
    }

    @Test
    void callsGoToTheReplicasInTurn() {
        assertThat(picks(6)).containsExactly(a, b, c, a, b, c);
    }

    @Test
    void aReplicaWhoseCircuitIsOpenIsPassedOver() {
        open(b);

        assertThat(picks(4)).containsExactly(a, c, c, a);
    }

    @Test
    void aRetryGoesToAReplicaTheCallHasNotTried() {
        assertThat(rotation.pick(Set.of(a))).as("a's turn").isEqualTo(b);
        assertThat(rotation.pick(Set.of(b))).as("b's turn").isEqualTo(c);
        assertThat(rotation.pick(Set.of(c, a))).as("c's turn").isEqualTo(b);
    }

    @Test
    void aRetryAfterEveryReplicaWasTriedGoesToOneWhoseCircuitIsClosed() {
        open(a);

        assertThat(rotation.pick(Set.of(a, b, c))).isEqualTo(b);
    }

    @Test
    void whenEveryCircuitIsOpenCallsStillGoInTurn() {
        open(a);
        open(b);
        open(c);

        assertThat(picks(4)).containsExactly(a, b, c, a);
    }

    @Test
    void aStreamPassesOverAReplicaThatFailedRecentlyWhileAnotherDidNot() {
        a.breaker().onFailure();

        assertThat(rotation.pickForLife()).as("a's turn").isEqualTo(b);
        assertThat(rotation.pickForLife()).as("b's turn").isEqualTo(b);
        assertThat(rotation.pickForLife()).as("c's turn").isEqualTo(c);
        assertThat(rotation.pick(Set.of())).as("a's turn, for a unary call, which can be retried").isEqualTo(a);
    }

    @Test
    void aStreamGoesToAReplicaThatFailedRecentlyWhenEveryOneDid() {
        for (Replica r : List.of(a, b, c)) {
            r.breaker().onFailure();
        }

        assertThat(rotation.pickForLife()).isEqualTo(a);
    }

    private List<Replica> picks(int n) {
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rotation.pick(Set.of()));
        }
        return out;
    }

    private static void open(Replica r) {
        for (int i = 0; i < 3; i++) {
            r.breaker().onFailure();
        }
    }

    private Replica replica(String address) {
        return new Replica("inference service", address, ManagedChannelBuilder.forTarget(address).usePlaintext().build(),
                new CircuitBreaker("inference service at " + address, 3, Duration.ofSeconds(5), () -> now));
    }
}

package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.neurosurrogate.gateway.fakes.FakeReplicatedInference;
import io.neurosurrogate.gateway.fakes.FakeStream;
import io.neurosurrogate.gateway.fakes.InferenceReplica;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.gateway.fakes.ReplicatedInferenceFakes;
import io.neurosurrogate.gateway.routing.CircuitBreaker;
import io.neurosurrogate.gateway.routing.Downstreams;
import io.neurosurrogate.gateway.routing.Replica;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ns.gateway.inference names two replicas, a and b: Predicts spread over both and survive one dying, a replica
 * that is down is kept away by its circuit breaker until it is back, and a Stream stays on its replica
 * and is reopened on one that is there.
 */
@QuarkusTest
@WithTestResource(FakeReplicatedInference.class)
class InferenceReplicasTest extends GatewayChannelPerTest {
    private static final int SYNAPSES = 100; // the fakes' iaf-1x1: 80 exc + 20 inh

    @InjectFakes
    ReplicatedInferenceFakes fakes;
    @Inject
    Downstreams downstreams;

    /** Both replicas serving, their circuits closed (after an earlier test, once open-for is over), nothing recorded. */
    @BeforeEach
    void bothReplicasUp() throws InterruptedException {
        fakes.reset();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!allClosed() && System.nanoTime() < deadline) {
            gateway.blocking().predict(predict());
            Thread.sleep(20);
        }
        assertThat(allClosed()).as("every circuit closed before the test").isTrue();
        fakes.reset();
    }

    @Test
    void predictsAreSpreadOverBothReplicas() {
        for (int i = 0; i < 20; i++) {
            gateway.blocking().predict(predict());
        }

        assertThat(fakes.a.inference.predicted.size() + fakes.b.inference.predicted.size()).isEqualTo(20);
        assertThat(fakes.a.inference.predicted).hasSizeGreaterThanOrEqualTo(5);
        assertThat(fakes.b.inference.predicted).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void everyPredictSucceedsWhenAReplicaIsKilledMidLoad() throws Exception {
        int threads = 4;
        int callsEach = 200;
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch halfway = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(callers.submit(() -> {
                for (int i = 0; i < callsEach; i++) {
                    try {
                        gateway.blocking().withDeadlineAfter(60, TimeUnit.SECONDS).predict(predict());
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                    if (done.incrementAndGet() == threads * callsEach / 4) {
                        halfway.countDown();
                    }
                }
            }));
        }
        assertThat(halfway.await(60, TimeUnit.SECONDS)).as("a quarter of the calls made").isTrue();
        fakes.a.kill();
        int aServedBeforeItDied = fakes.a.inference.predicted.size();
        int bServedBeforeADied = fakes.b.inference.predicted.size();
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        callers.shutdown();

        assertThat(errors).as("calls that failed").isEmpty();
        assertThat(done.get()).isEqualTo(threads * callsEach);
        assertThat(aServedBeforeItDied).isPositive();
        assertThat(fakes.a.inference.predicted).hasSize(aServedBeforeItDied);
        // b served every call that a did not: a call cut on a while a computed it may have been served twice
        assertThat(fakes.b.inference.predicted.size() + aServedBeforeItDied).isGreaterThanOrEqualTo(threads * callsEach);
        assertThat(fakes.b.inference.predicted.size()).isGreaterThan(bServedBeforeADied);
    }

    @Test
    void aReplicaThatIsDownIsNotCalledOnceItsCircuitIsOpenAndIsCalledAgainWhenBack() throws Exception {
        fakes.a.down(true);

        for (int i = 0; i < 30 && circuit(fakes.a) != CircuitBreaker.State.OPEN; i++) {
            gateway.blocking().predict(predict());
        }
        assertThat(circuit(fakes.a)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(fakes.a.calls.get()).as("calls on a before its circuit opened").isEqualTo(FakeReplicatedInference.CIRCUIT_FAILURES);
        long opened = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            gateway.blocking().predict(predict());
        }
        boolean withinOpenFor = System.nanoTime() - opened < TimeUnit.MILLISECONDS.toNanos(FakeReplicatedInference.OPEN_FOR_MS);
        assertThat(fakes.a.calls.get()).as("calls on a while its circuit was open")
                .isLessThanOrEqualTo(FakeReplicatedInference.CIRCUIT_FAILURES + (withinOpenFor ? 0 : 1));
        assertThat(fakes.a.inference.predicted).isEmpty();

        fakes.a.down(false);
        assertReplicaAIsUsedAgainAfterOpenFor();
    }

    @Test
    void aReplicaKilledAndStartedAgainOnItsPortIsUsedAgainAfterOpenFor() throws Exception {
        fakes.a.kill();
        for (int i = 0; i < 30 && circuit(fakes.a) != CircuitBreaker.State.OPEN; i++) {
            gateway.blocking().predict(predict());
        }
        assertThat(circuit(fakes.a)).isEqualTo(CircuitBreaker.State.OPEN);

        fakes.a.restart();
        assertReplicaAIsUsedAgainAfterOpenFor();
    }

    /** After the breaker's open-for, calls reach replica a again and its circuit closes. */
    private void assertReplicaAIsUsedAgainAfterOpenFor() throws InterruptedException {
        Thread.sleep(FakeReplicatedInference.OPEN_FOR_MS);
        for (int i = 0; i < 10; i++) {
            gateway.blocking().predict(predict());
        }

        assertThat(circuit(fakes.a)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(fakes.a.inference.predicted).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aStreamStaysOnOneReplicaAndEndsUnavailableNamingItWhenItDies() throws Exception {
        StreamCaller caller = new StreamCaller(gateway.async()).send(StreamForwardingTest.open(1, "iaf-1x1", ""),
                StreamForwardingTest.start(2, 7));
        for (int i = 0; i < 6; i++) {
            caller.send(StreamForwardingTest.step(10 + i, 1, List.of(7L), List.of(SparseNeuronInput.getDefaultInstance())));
        }
        for (int i = 0; i < 8; i++) {
            caller.next();
        }
        InferenceReplica home = fakes.a.inference.streamed(1) ? fakes.a : fakes.b;
        InferenceReplica other = home == fakes.a ? fakes.b : fakes.a;

        assertThat(home.inference.streamOpenedBy(1).requests).extracting(StreamRequest::getRequestId)
                .containsExactly(1L, 2L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(other.inference.streams).isEmpty();

        home.kill();
        Status ended = caller.status();

        assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ended.getDescription()).startsWith("inference service unavailable at " + home.address());

        // two new streams, one after the other: in turn, one of them would be the dead replica's
        for (long id : List.of(20L, 30L)) {
            StreamCaller reopened = new StreamCaller(gateway.async()).send(StreamForwardingTest.open(id, "iaf-1x1", ""));
            StreamResponse opened = reopened.next();
            reopened.halfClose();

            assertThat(opened.getOpened().getModelName()).isEqualTo("iaf-1x1");
            assertThat(reopened.status().getCode()).isEqualTo(Status.Code.OK);
            FakeStream onSurvivor = other.inference.streamOpenedBy(id);
            assertThat(onSurvivor.requests).hasSize(1);
        }
    }

    private CircuitBreaker.State circuit(InferenceReplica replica) {
        for (Replica r : downstreams.inference().replicas()) {
            if (r.address().equals(replica.address())) {
                return r.circuit();
            }
        }
        throw new AssertionError("no inference replica at " + replica.address());
    }

    private boolean allClosed() {
        for (InferenceReplica r : fakes.replicas()) {
            if (circuit(r) != CircuitBreaker.State.CLOSED) {
                return false;
            }
        }
        return true;
    }

    private static PredictRequest predict() {
        return PredictValidationTest.dense("iaf-1x1", "", 1, SYNAPSES, PredictValidationTest.spikes(SYNAPSES * 20));
    }
}

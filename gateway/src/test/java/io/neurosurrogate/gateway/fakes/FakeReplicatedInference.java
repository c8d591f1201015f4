package io.neurosurrogate.gateway.fakes;

import java.util.Map;

/**
 * Starts {@link ReplicatedInferenceFakes} before the gateway and points {@code ns.gateway.inference} at both
 * replicas. A circuit stays open for {@value #OPEN_FOR_MS} ms, long against a test's few calls and short to wait
 * out; unary calls get a generous deadline, for a loaded two-core machine.
 */
public final class FakeReplicatedInference extends FakesResource {
    public static final long OPEN_FOR_MS = 3000;
    public static final int CIRCUIT_FAILURES = 3;

    @Override
    protected RunningFakes startFakes() {
        return new ReplicatedInferenceFakes();
    }

    @Override
    protected Map<String, String> moreConfig() {
        return Map.of("ns.gateway.routing.circuit.open-for", OPEN_FOR_MS + "ms",
                "ns.gateway.routing.circuit.failures", String.valueOf(CIRCUIT_FAILURES),
                "ns.gateway.routing.max-attempts", "3",
                "ns.gateway.unary-deadline", "20s");
    }
}

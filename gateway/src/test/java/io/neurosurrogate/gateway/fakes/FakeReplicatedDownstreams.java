package io.neurosurrogate.gateway.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts {@link ReplicatedFakes} before the gateway and points {@code ns.gateway.*} at them, the trainer as
 * a comma-separated list of replicas. Init arg {@value #REPLICA_DOWN} = "true" lists a replica that is down
 * first.
 */
public final class FakeReplicatedDownstreams implements QuarkusTestResourceLifecycleManager {
    public static final String REPLICA_DOWN = "replica-down";
    private boolean withReplicaDown;
    private ReplicatedFakes fakes;

    @Override
    public void init(Map<String, String> initArgs) {
        withReplicaDown = Boolean.parseBoolean(initArgs.getOrDefault(REPLICA_DOWN, "false"));
    }

    @Override
    public Map<String, String> start() {
        fakes = new ReplicatedFakes(withReplicaDown);
        return Map.of(
                "ns.gateway.simulator", fakes.services.simulatorAddress(),
                "ns.gateway.trainer", fakes.trainerAddresses(),
                "ns.gateway.inference", fakes.services.inferenceAddress());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fakes, new TestInjector.AnnotatedAndMatchesType(InjectFakes.class, ReplicatedFakes.class));
    }

    @Override
    public void stop() {
        if (fakes != null) {
            try {
                fakes.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

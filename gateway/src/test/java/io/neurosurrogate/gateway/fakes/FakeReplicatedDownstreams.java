package io.neurosurrogate.gateway.fakes;

import java.util.Map;

/**
 * Starts {@link ReplicatedFakes} before the gateway and points {@code ns.gateway.*} at them, the trainer as
 * a comma-separated list of replicas. Init arg {@value #REPLICA_DOWN} = "true" lists a replica that is down
 * first.
 */
public final class FakeReplicatedDownstreams extends FakesResource {
    public static final String REPLICA_DOWN = "replica-down";
    private boolean withReplicaDown;

    @Override
    public void init(Map<String, String> initArgs) {
        withReplicaDown = Boolean.parseBoolean(initArgs.getOrDefault(REPLICA_DOWN, "false"));
    }

    @Override
    protected RunningFakes startFakes() {
        return new ReplicatedFakes(withReplicaDown);
    }
}

package io.neurosurrogate.gateway.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the service doubles before the gateway and points {@code ns.gateway.*} at them. */
public final class FakeDownstreams implements QuarkusTestResourceLifecycleManager {
    private Fakes fakes;

    @Override
    public Map<String, String> start() {
        fakes = new Fakes();
        return Map.of(
                "ns.gateway.simulator", fakes.simulatorAddress(),
                "ns.gateway.trainer", fakes.trainerAddress(),
                "ns.gateway.inference", fakes.inferenceAddress());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fakes, new TestInjector.AnnotatedAndMatchesType(InjectFakes.class, Fakes.class));
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

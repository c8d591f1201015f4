package io.neurosurrogate.gateway.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts service doubles before the gateway, points {@code ns.gateway.*} at them, hands them to the test's
 * {@link InjectFakes} field of their type and stops them after the gateway.
 */
public abstract class FakesResource implements QuarkusTestResourceLifecycleManager {
    private RunningFakes fakes;

    /** Starts the doubles this resource serves. */
    protected abstract RunningFakes startFakes();

    /** Settings of the gateway under test besides the addresses ({@code ns.gateway.*}); none by default. */
    protected Map<String, String> moreConfig() {
        return Map.of();
    }

    @Override
    public final Map<String, String> start() {
        fakes = startFakes();
        Map<String, String> config = new HashMap<>(moreConfig());
        config.put("ns.gateway.simulator", fakes.simulatorAddress());
        config.put("ns.gateway.trainer", fakes.trainerAddress());
        config.put("ns.gateway.inference", fakes.inferenceAddress());
        return config;
    }

    @Override
    public final void inject(TestInjector injector) {
        injector.injectIntoFields(fakes, new TestInjector.AnnotatedAndMatchesType(InjectFakes.class, fakes.getClass()));
    }

    @Override
    public final void stop() {
        if (fakes != null) {
            try {
                fakes.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

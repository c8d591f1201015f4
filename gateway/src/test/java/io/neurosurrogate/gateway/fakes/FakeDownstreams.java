package io.neurosurrogate.gateway.fakes;

/** Starts the service doubles ({@link Fakes}) before the gateway and points {@code ns.gateway.*} at them. */
public final class FakeDownstreams extends FakesResource {
    @Override
    protected RunningFakes startFakes() {
        return new Fakes();
    }
}

package io.neurosurrogate.gateway.fakes;

/** Service doubles that are serving: the addresses to point {@code ns.gateway.*} at, and how to stop them. */
public interface RunningFakes extends AutoCloseable {
    String simulatorAddress();

    /** The value of ns.gateway.trainer: one host:port, or a comma-separated list of replicas. */
    String trainerAddress();

    String inferenceAddress();

    @Override
    void close() throws InterruptedException;
}

package io.neurosurrogate.gateway.fakes;

import java.util.List;

/** The service doubles with the inference service as two replicas, {@link #a} and {@link #b}. */
public final class ReplicatedInferenceFakes implements RunningFakes {
    /** The simulator and trainer doubles (its single inference double is not used). */
    public final Fakes services = new Fakes();
    public final InferenceReplica a = new InferenceReplica("a");
    public final InferenceReplica b = new InferenceReplica("b");

    @Override
    public String simulatorAddress() {
        return services.simulatorAddress();
    }

    @Override
    public String trainerAddress() {
        return services.trainerAddress();
    }

    /** ns.gateway.inference: a, b. */
    @Override
    public String inferenceAddress() {
        return a.address() + "," + b.address();
    }

    public List<InferenceReplica> replicas() {
        return List.of(a, b);
    }

    /** Both serving, up, with nothing recorded. */
    public void reset() {
        a.reset();
        b.reset();
    }

    @Override
    public void close() throws InterruptedException {
        a.close();
        b.close();
        services.close();
    }
}

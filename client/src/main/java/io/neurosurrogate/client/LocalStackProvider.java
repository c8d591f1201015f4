package io.neurosurrogate.client;

import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Starts a {@link LocalStack}; found with {@link ServiceLoader} (the e2e module provides one). */
public interface LocalStackProvider {

    /**
     * @param progress receives one line per step ("Kafka broker ready at ...")
     */
    LocalStack start(Consumer<String> progress) throws Exception;

    /**
     * The stack with {@code trainers} trainer-service replicas behind the gateway. A provider that can start
     * only one trainer keeps this default.
     *
     * @throws UnsupportedOperationException when {@code trainers} > 1 and the provider starts only one
     */
    default LocalStack start(Consumer<String> progress, int trainers) throws Exception {
        if (trainers != 1) {
            throw new UnsupportedOperationException(getClass().getName() + " starts a local stack with one trainer only, not " + trainers);
        }
        return start(progress);
    }

    /**
     * As {@link #start(Consumer, int)}, each trainer starting with a copy of the dataset store at
     * {@code datasetsFrom} (a previous run's {@code .nsurr/<run>/trainer/datasets}), so that its
     * simulations can be trained on again without simulating them anew; null = an empty store.
     */
    default LocalStack start(Consumer<String> progress, int trainers, java.nio.file.Path datasetsFrom) throws Exception {
        if (datasetsFrom != null) {
            throw new UnsupportedOperationException(getClass().getName() + " cannot seed the trainer's dataset store");
        }
        return start(progress, trainers);
    }

    static LocalStackProvider find() {
        return ServiceLoader.load(LocalStackProvider.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no local stack on the classpath: give --gateway host:port, or run through ./nsurr"));
    }
}

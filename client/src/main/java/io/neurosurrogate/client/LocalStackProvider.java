package io.neurosurrogate.client;

import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Starts a {@link LocalStack}; found with {@link ServiceLoader} (the e2e module provides one). */
public interface LocalStackProvider {

    /**
     * @param progress receives one line per step ("Kafka broker ready at ...")
     */
    LocalStack start(Consumer<String> progress) throws Exception;

    static LocalStackProvider find() {
        return ServiceLoader.load(LocalStackProvider.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no local stack on the classpath: give --gateway host:port, or run through ./nsurr"));
    }
}

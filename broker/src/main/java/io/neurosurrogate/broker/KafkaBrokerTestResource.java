package io.neurosurrogate.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a real embedded Kafka broker for a {@code @QuarkusTest} and points the application at it
 * through {@code kafka.bootstrap.servers}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker, for tests that need producers, consumers or an Admin client. */
    public static String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the Kafka broker is not running");
        }
        return broker.bootstrapServers();
    }
}

package io.neurosurrogate.client;

/**
 * A running local stack (Kafka broker + the four services) on this machine. Implementations come
 * from {@link LocalStackProvider} (module e2e), so that the SDK itself carries no broker.
 */
public interface LocalStack extends AutoCloseable {
    /** host:port of the gateway. */
    String gatewayAddress();

    /** An admin API key for the gateway, made fresh for this stack (its hash is all the gateway was given). */
    String apiKey();

    String kafkaBootstrapServers();

    /** host:port of the inference service, for measurements that bypass the gateway. */
    String inferenceAddress();

    @Override
    void close();
}

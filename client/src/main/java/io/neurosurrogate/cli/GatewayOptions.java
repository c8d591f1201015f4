package io.neurosurrogate.cli;

import io.neurosurrogate.client.LocalStack;
import io.neurosurrogate.client.LocalStackProvider;
import io.neurosurrogate.client.NeuroSurrogateClient;
import picocli.CommandLine.Option;

/**
 * {@code --gateway host:port} with {@code --api-key} (default: environment variable {@code NS_API_KEY}); without
 * {@code --gateway} a command starts the local stack for its own duration and uses the stack's own key.
 */
final class GatewayOptions {
    @Option(names = "--gateway", description = "gateway address host:port (default: start a local stack)")
    String gateway;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:NS_API_KEY}",
            description = "API key for --gateway, sent as 'authorization: Bearer KEY' (default: environment variable NS_API_KEY)")
    String apiKey;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "with --gateway: connect with TLS, trusting the certificate(s) in this"
            + " PEM file (the gateway's own, or its CA); default: plaintext")
    java.nio.file.Path tlsCa;

    @Option(names = "--datasets-from", paramLabel = "DIR", description = "local stack only: the trainer starts with a copy of this"
            + " dataset store (a previous run's .nsurr/<run>/trainer/datasets), so its simulations need not be simulated again")
    java.nio.file.Path datasetsFrom;

    /** A connected client and, when started here, the local stack behind it; close both together. */
    Connection connect(Progress progress) throws Exception {
        if (gateway != null) {
            if (datasetsFrom != null) {
                throw new IllegalArgumentException("--datasets-from seeds the local stack's trainer; it cannot be combined with --gateway");
            }
            if (apiKey == null || apiKey.isBlank()) {
                progress.detail("no API key given (--api-key or NS_API_KEY): the gateway will refuse the calls unless its security is off");
            }
            return new Connection(new NeuroSurrogateClient(gateway, apiKey, tlsCa), null);
        }
        if (tlsCa != null) {
            throw new IllegalArgumentException("--tls-ca is for a gateway given with --gateway; the local stack speaks plaintext on loopback");
        }
        progress.stage("starting the local stack (Kafka broker + 4 services)");
        LocalStack stack = datasetsFrom == null
                ? LocalStackProvider.find().start(progress::detail)
                : LocalStackProvider.find().start(progress::detail, 1, datasetsFrom);
        progress.detail("gateway at " + stack.gatewayAddress());
        return new Connection(new NeuroSurrogateClient(stack.gatewayAddress(), stack.apiKey()), stack);
    }

    record Connection(NeuroSurrogateClient client, LocalStack stack) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            if (stack != null) {
                stack.close();
            }
        }
    }
}

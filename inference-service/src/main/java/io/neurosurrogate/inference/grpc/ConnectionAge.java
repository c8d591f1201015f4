package io.neurosurrogate.inference.grpc;

import io.neurosurrogate.inference.InferenceConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Applies {@code ns.inference.max-connection-age} to the gRPC server (Quarkus has no setting of its own for it).
 * The service runs its gRPC server apart from HTTP ({@code use-separate-server}), a Vert.x builder over grpc-java's
 * Netty server, which is where the connection age is set.
 */
@ApplicationScoped
public class ConnectionAge implements ServerBuilderCustomizer<VertxServerBuilder> {
    private static final Logger LOG = Logger.getLogger(ConnectionAge.class);

    private final InferenceConfig config;

    public ConnectionAge(InferenceConfig config) {
        this.config = config;
    }

    @Override
    public void customize(GrpcServerConfiguration grpc, VertxServerBuilder builder) {
        config.maxConnectionAge().ifPresent(age -> {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("ns.inference.max-connection-age must be positive, got " + age);
            }
            builder.nettyBuilder().maxConnectionAge(age.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("gRPC connections are closed (GOAWAY) after %s; calls in flight run on", age);
        });
    }
}

package io.neurosurrogate.gateway.observability;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;

/**
 * Every call to the gateway, timed and counted by its full gRPC method name and the status code it ended with
 * ({@code ns_gateway_requests_seconds_count{method="inference.GRPCInferenceService/ModelInfer",code="OK"}}),
 * including calls refused before they reach a service (authentication, quotas, malformed requests): this
 * interceptor runs first of all.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestMetrics implements ServerInterceptor, Prioritized {
    static final String NAME = "ns.gateway.requests";
    /** Quarkus runs global interceptors with a higher priority first. */
    static final int PRIORITY = 10_000;

    private final MeterRegistry registry;

    @Inject
    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        long started = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Timer.builder(NAME).description("Calls to the gateway by method and final status")
                        .tag("method", method).tag("code", status.getCode().name())
                        .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        };
        return next.startCall(timed, headers);
    }
}

package io.neurosurrogate.gateway.observability;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.arc.Arc;

/**
 * Passes the caller's trace on to the services behind the gateway: every call on a downstream channel carries
 * the OpenTelemetry context that was current when the call was made (the gateway's server span for the caller's
 * request, which Quarkus makes current) as W3C {@code traceparent}/{@code tracestate} metadata, written by the
 * propagator Quarkus configures ({@code quarkus.otel.propagators}). Quarkus instruments its own gRPC clients,
 * not the plain grpc-java channels the gateway builds, hence this interceptor.
 *
 * <p>Not itself a {@link ClientInterceptor} class: Quarkus would take it for an interceptor of its own gRPC clients
 * and warn that none uses it. {@link #interceptor()} is what goes on a channel.
 *
 * <p>The context is taken when the call is created, on the thread that creates it: the call may be started or
 * continued from other threads, where the request's context is no longer current.
 */
public final class TraceContextPropagation {
    private static final TextMapSetter<Metadata> SETTER = (metadata, key, value) -> {
        Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
        metadata.discardAll(k);
        metadata.put(k, value);
    };

    private final TextMapPropagator propagator;

    public TraceContextPropagation(TextMapPropagator propagator) {
        this.propagator = propagator;
    }

    /**
     * The interceptor for channels built outside CDI injection (static channel factories), with the propagator of
     * the application's {@link OpenTelemetry} bean.
     */
    public static ClientInterceptor ofApplication() {
        // Outside a running application (channels built by plain unit tests) there is no trace to pass on.
        OpenTelemetry openTelemetry = Arc.container() == null ? OpenTelemetry.noop() : Arc.container().instance(OpenTelemetry.class).get();
        return new TraceContextPropagation(openTelemetry.getPropagators().getTextMapPropagator()).interceptor();
    }

    /** The client interceptor that writes the current trace context into every call's metadata. */
    public ClientInterceptor interceptor() {
        return this::interceptCall;
    }

    private <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        Context caller = Context.current();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> responseListener, Metadata headers) {
                propagator.inject(caller, headers, SETTER);
                super.start(responseListener, headers);
            }
        };
    }
}

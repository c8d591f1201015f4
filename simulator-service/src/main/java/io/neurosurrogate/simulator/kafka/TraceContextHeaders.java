package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.core.tracing.KafkaTraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.Headers;

/**
 * OpenTelemetry trace context in Kafka record headers ({@code traceparent}, {@code tracestate} with the
 * W3C propagator Quarkus configures), so that a trace started by a gRPC call (StartCampaign) goes on
 * through the records it causes: trace chunks to the trainer, simulation tasks to other replicas.
 */
@Singleton
public class TraceContextHeaders {
    private final TextMapPropagator propagator;

    public TraceContextHeaders(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Writes {@code context} into {@code headers}; nothing for a context without a valid span. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, KafkaTraceHeaders.SETTER);
    }

    /** The context carried by {@code headers} (the root context when they carry none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, KafkaTraceHeaders.GETTER);
    }
}

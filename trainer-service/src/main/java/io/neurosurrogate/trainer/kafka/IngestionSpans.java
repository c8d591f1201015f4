package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.tracing.KafkaTraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The span under which one consumed record is ingested, continuing the trace its producer put into the record's
 * headers ({@code traceparent}/{@code tracestate}, W3C, the propagator Quarkus configures): a chunk of a campaign
 * started through the gateway is ingested in the trace of that StartCampaign call. A record without trace headers
 * starts a trace of its own.
 */
@Singleton
public class IngestionSpans {
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public IngestionSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.neurosurrogate.trainer");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The trace context the record's producer sent along (the root context when it sent none). */
    public Context producerContext(ConsumerRecord<?, ?> record) {
        return propagator.extract(Context.root(), record.headers(), KafkaTraceHeaders.GETTER);
    }

    /** Starts (not current yet; the caller ends it) the span of processing {@code record}, child of its producer's context. */
    public Span start(ConsumerRecord<?, ?> record) {
        return tracer.spanBuilder(record.topic() + " process")
                .setParent(producerContext(record))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
    }
}

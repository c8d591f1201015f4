package io.neurosurrogate.simulator.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenTelemetry trace context in Kafka record headers ({@code traceparent}, {@code tracestate} with the
 * W3C propagator Quarkus configures), so that a trace started by a gRPC call (StartCampaign) goes on
 * through the records it causes: trace chunks to the trainer, simulation tasks to other replicas.
 */
@Singleton
public class TraceContextHeaders {
    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        // One value per key: a record copied with its headers (dead letters) must not carry two parents.
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header last = headers.lastHeader(key);
            return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;

    public TraceContextHeaders(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Writes {@code context} into {@code headers}; nothing for a context without a valid span. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, SETTER);
    }

    /** The context carried by {@code headers} (the root context when they carry none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, GETTER);
    }
}

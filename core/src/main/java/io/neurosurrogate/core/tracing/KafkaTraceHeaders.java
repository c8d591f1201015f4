package io.neurosurrogate.core.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How OpenTelemetry's propagator reads and writes trace context ({@code traceparent}, {@code tracestate}) in Kafka
 * record headers, for every service that produces or consumes records in a trace. (The services bring Kafka and
 * OpenTelemetry; core only compiles against them.)
 */
public final class KafkaTraceHeaders {
    /** One value per key: a record copied with its headers (dead letters) must not carry two parents. */
    public static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    /** The last value of a key, as UTF-8 text. */
    public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
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
            Header last = headers == null ? null : headers.lastHeader(key);
            return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
        }
    };

    private KafkaTraceHeaders() {
    }
}

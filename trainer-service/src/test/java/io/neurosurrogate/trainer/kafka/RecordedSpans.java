package io.neurosurrogate.trainer.kafka;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The spans the trainer ended during the tests, kept in memory: Quarkus adds every SpanProcessor bean to its
 * tracer provider, whatever exporter it was built with.
 */
@Singleton
public class RecordedSpans {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @Produces
    @Singleton
    SpanProcessor recordInMemory() {
        return SimpleSpanProcessor.create(exporter);
    }

    /** Every span ended so far, oldest first. */
    public List<SpanData> ended() {
        return exporter.getFinishedSpanItems();
    }
}

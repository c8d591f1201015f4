package io.neurosurrogate.trainer.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Makes one {@code ns.traces.v1} record durable: a valid chunk goes into the {@link DatasetStore}
 * (idempotently), a poisoned one (unparseable or invalid) to the dead-letter topic. Returns only
 * once the record is durable in one place or the other; any other failure (disk, broker) is thrown
 * so that the record's offset is not committed and the record is retried.
 */
@Singleton
public class TraceRecordHandler {
    private static final Logger LOG = Logger.getLogger(TraceRecordHandler.class);

    /** Where a record ended up. */
    public enum Outcome { STORED, ALREADY_PRESENT, DEAD_LETTERED }

    private final DatasetStore store;
    private final DeadLetterPublisher deadLetters;
    private final IngestionSpans spans;

    public TraceRecordHandler(DatasetStore store, DeadLetterPublisher deadLetters, IngestionSpans spans) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.spans = spans;
    }

    /**
     * Makes the record durable under a span that continues its producer's trace (the campaign's); the span is
     * current meanwhile, so the log lines written meanwhile carry its traceId and spanId (Quarkus puts the current
     * span into the MDC).
     */
    public Outcome handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        Span span = spans.start(record);
        try (Scope ignored = span.makeCurrent()) {
            Outcome outcome = makeDurable(record);
            span.setAttribute("ns.ingest.outcome", outcome.name());
            return outcome;
        } catch (Exception e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, "record not durable; it will be retried");
            throw e;
        } finally {
            span.end();
        }
    }

    private Outcome makeDurable(ConsumerRecord<byte[], byte[]> record) throws Exception {
        if (record.value() == null) {
            return deadLetter(record, "record has no value (tombstone)");
        }
        TraceChunk chunk;
        try {
            chunk = TraceChunk.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            return deadLetter(record, "value is not a TraceChunk: " + e.getMessage());
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        try {
            TraceChunkValidator.validate(key, chunk);
            return store.store(chunk) == DatasetStore.StoreResult.STORED ? Outcome.STORED : Outcome.ALREADY_PRESENT;
        } catch (DomainException e) {
            return deadLetter(record, "invalid TraceChunk: " + e.getMessage());
        }
    }

    private Outcome deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) throws Exception {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        deadLetters.publish(record, reason);
        return Outcome.DEAD_LETTERED;
    }
}

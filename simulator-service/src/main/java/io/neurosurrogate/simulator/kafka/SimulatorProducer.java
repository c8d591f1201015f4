package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.simulator.SimulatorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.opentelemetry.context.Context;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The service's one Kafka producer, with explicit delivery semantics: acks=all and idempotence, so
 * a retried send is neither lost nor duplicated and records of one key stay in order. Created on
 * first use (a broker that is not up yet does not stop the service from starting), closed on
 * shutdown after flushing.
 */
@ApplicationScoped
public class SimulatorProducer {
    /** Room for the key, headers and record framing next to the value. */
    private static final int RECORD_OVERHEAD_BYTES = 4096;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Inject
    SimulatorConfig config;

    @Inject
    TraceContextHeaders traceContext;

    private KafkaProducer<String, byte[]> producer;

    /** Sends one record; the future completes on the broker's acknowledgement. Never throws. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    /**
     * Sends one record (with its headers, if any); the future completes on the broker's acknowledgement. Never throws.
     * The trace context current on the calling thread goes into the record's headers, so that whoever consumes the
     * record (the trainer, another replica's worker) continues the trace of the call that caused it.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        int limit = config.producer().maxRequestSize() - RECORD_OVERHEAD_BYTES;
        int size = record.value() == null ? 0 : record.value().length;
        if (size > limit) {
            acked.completeExceptionally(new IllegalArgumentException("record " + record.key() + " for " + record.topic()
                    + " is " + size + " bytes, above the " + limit + " byte limit; use a smaller chunk_ms"));
            return acked;
        }
        try {
            traceContext.inject(Context.current(), record.headers());
            producer().send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(properties(), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    Properties properties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "simulator-service");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, config.producer().lingerMs());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.producer().maxRequestSize());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, config.producer().deliveryTimeoutMs());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.producer().compressionType());
        return p;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}

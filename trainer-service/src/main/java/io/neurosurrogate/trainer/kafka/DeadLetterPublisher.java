package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Sends a record that cannot be ingested to {@code ns.deadletter.v1}: the original key, value and
 * headers, plus the reason and the source topic/partition/offset. Synchronous, so the caller may
 * commit the source offset once this returns.
 */
@Singleton
public class DeadLetterPublisher {
    private final KafkaClients clients;

    public DeadLetterPublisher(KafkaClients clients) {
        this.clients = clients;
    }

    public void publish(ConsumerRecord<byte[], byte[]> source, String reason) throws ExecutionException, InterruptedException {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(Topics.DEAD_LETTER, source.key(), source.value());
        for (Header h : source.headers()) {
            out.headers().add(h);
        }
        out.headers().add(Topics.HEADER_DLQ_REASON, utf8(reason));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_TOPIC, utf8(source.topic()));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        clients.producer().send(out).get();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

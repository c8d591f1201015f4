package io.neurosurrogate.simulator.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helper: what a topic holds, read from the beginning of every partition with a group-less consumer. */
public final class TopicRecords {

    private TopicRecords() {
    }

    /**
     * Reads {@code topic} until {@code expected} matching records arrived (30 s at most), then polls
     * once more so that records beyond the expected ones (a task counted twice, say) show up, and
     * asserts there are exactly {@code expected}.
     */
    public static List<ConsumerRecord<String, byte[]>> exactly(String bootstrapServers, String topic,
                                                               Predicate<ConsumerRecord<String, byte[]>> matching, int expected) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(20))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (found.size() < expected && System.nanoTime() < deadline) {
                collect(consumer, Duration.ofMillis(200), matching, found);
            }
            collect(consumer, Duration.ofMillis(300), matching, found);
        }
        assertThat(found).as("records on %s", topic).hasSize(expected);
        return found;
    }

    private static void collect(KafkaConsumer<String, byte[]> consumer, Duration wait,
                                Predicate<ConsumerRecord<String, byte[]>> matching, List<ConsumerRecord<String, byte[]>> found) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            if (matching.test(r)) {
                found.add(r);
            }
        }
    }
}

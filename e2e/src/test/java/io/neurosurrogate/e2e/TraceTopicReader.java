package io.neurosurrogate.e2e;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.TraceChunk;
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
import java.util.TreeMap;
import java.util.function.Predicate;

/** Reads a topic from the beginning without a consumer group (the services' offsets are untouched). */
final class TraceTopicReader {
    private TraceTopicReader() {
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                        Duration timeout) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(250)).forEach(out::add);
            }
            return out;
        }
    }

    /** The simulations of one campaign, reassembled from its chunks, by simulation index. */
    static Map<Integer, SimulationTrace> campaignTraces(List<ConsumerRecord<String, byte[]>> records, String campaignId) throws Exception {
        Map<String, List<TraceChunk>> bySim = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TraceChunk chunk;
            try {
                chunk = TraceChunk.parseFrom(r.value());
            } catch (Exception e) {
                continue; // other tests put poisoned records on this topic
            }
            if (chunk.getMeta().getCampaignId().equals(campaignId)) {
                bySim.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(chunk);
            }
        }
        Map<Integer, SimulationTrace> out = new TreeMap<>();
        for (List<TraceChunk> chunks : bySim.values()) {
            if (chunks.size() == chunks.get(0).getChunkCount()) {
                SimulationTrace t = SimulationTrace.fromChunks(chunks);
                out.put(t.meta().getSimIndex(), t);
            }
        }
        return out;
    }
}

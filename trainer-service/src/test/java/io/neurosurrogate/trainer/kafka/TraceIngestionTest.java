package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.neurosurrogate.trainer.store.SyntheticTraces;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@TestProfile(TrainerTestProfile.class)
class TraceIngestionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    DatasetStore store;

    @Inject
    RecordedSpans spans;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "ns.trainer.group-id")
    String groupId;

    private TestKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new TestKafka(bootstrap);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void publish(List<TraceChunk> chunks) throws Exception {
        for (TraceChunk c : chunks) {
            kafka.send(Topics.TRACES, c.getMeta().getSimulationId(), c.toByteArray());
        }
    }

    @Test
    void publishedChunksLandInTheStoreExactlyOnceEvenWhenPublishedTwice() throws Exception {
        String campaign = unique("ingest");
        SimulationTrace a = SyntheticTraces.iaf(campaign + "-0", campaign, 1, 2500);
        SimulationTrace b = SyntheticTraces.iaf(campaign + "-1", campaign, 2, 2500);
        publish(a.toChunks(1000));
        publish(b.toChunks(1000));
        TestKafka.await("both simulations complete", TIMEOUT, () -> store.completeSimulations("iaf", campaign).size() == 2);

        publish(a.toChunks(1000));
        publish(b.toChunks(1000));
        awaitEverythingCommitted();

        assertThat(store.info("iaf", campaign).getChunks()).isEqualTo(6);
        try (var files = Files.list(store.root().resolve("iaf").resolve(campaign + "-0"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("chunk-0.pb", "chunk-1.pb", "chunk-2.pb");
        }
        SimulationTrace loaded = store.load("iaf", campaign + "-1");
        assertThat(loaded.somaMv()).containsExactly(b.somaMv());
        assertThat(loaded.inputSpikeCount()).isEqualTo(b.inputSpikeCount());
    }

    @Test
    void poisonedRecordsAreDeadLetteredWithTheirReasonAndLaterRecordsAreStillIngested() throws Exception {
        String campaign = unique("poison");
        String garbageKey = campaign + "-0";
        String badIndexKey = campaign + "-1";
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xff;  // an invalid protobuf tag, so parsing is bound to fail
        RecordMetadata garbageAt = kafka.send(Topics.TRACES, garbageKey, garbage);
        List<TraceChunk> second = SyntheticTraces.iaf(badIndexKey, campaign, 2, 2000).toChunks(1000);
        TraceChunk badIndex = second.get(0).toBuilder().setChunkIndex(7).build();
        kafka.send(Topics.TRACES, badIndexKey, badIndex.toByteArray());
        // Valid records after the poisoned ones, on the same keys and therefore the same partitions.
        publish(SyntheticTraces.iaf(garbageKey, campaign, 1, 2000).toChunks(1000));
        publish(second);

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readUntil(Topics.DEAD_LETTER,
                r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(campaign), 2, TIMEOUT);
        ConsumerRecord<byte[], byte[]> garbageLetter = dead.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(garbageKey)).findFirst().orElseThrow();
        assertThat(garbageLetter.value()).containsExactly(garbage);
        assertThat(TestKafka.header(garbageLetter, Topics.HEADER_DLQ_REASON)).contains("not a TraceChunk");
        assertThat(TestKafka.header(garbageLetter, Topics.HEADER_DLQ_SOURCE_TOPIC)).isEqualTo(Topics.TRACES);
        assertThat(TestKafka.header(garbageLetter, Topics.HEADER_DLQ_SOURCE_PARTITION)).isEqualTo(Integer.toString(garbageAt.partition()));
        assertThat(TestKafka.header(garbageLetter, Topics.HEADER_DLQ_SOURCE_OFFSET)).isEqualTo(Long.toString(garbageAt.offset()));
        ConsumerRecord<byte[], byte[]> indexLetter = dead.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(badIndexKey)).findFirst().orElseThrow();
        assertThat(TestKafka.header(indexLetter, Topics.HEADER_DLQ_REASON)).contains("chunk_index 7 outside [0, 2)");
        assertThat(indexLetter.value()).containsExactly(badIndex.toByteArray());

        TestKafka.await("valid simulations after the poison complete", TIMEOUT,
                () -> store.completeSimulations("iaf", campaign).size() == 2);
        awaitEverythingCommitted();
    }

    @Test
    void offsetsAreCommittedOnlyPastDurableRecordsAndAFailedRecordIsRetriedUntilStored() throws Exception {
        String campaign = unique("offsets");
        TraceChunk blocked = SyntheticTraces.iaf(campaign + "-0", campaign, 1, 1000).toChunks(1000).get(0);
        TraceChunk behind = SyntheticTraces.iaf(campaign + "-1", campaign, 2, 1000).toChunks(1000).get(0);
        TraceChunk elsewhere = SyntheticTraces.iaf(campaign + "-2", campaign, 3, 1000).toChunks(1000).get(0);
        // A plain file where the simulation's directory belongs: storing its chunk fails like a broken disk.
        Path obstacle = store.root().resolve("iaf").resolve(campaign + "-0");
        Files.createDirectories(obstacle.getParent());
        Files.write(obstacle, new byte[]{0});

        RecordMetadata blockedAt = kafka.send(Topics.TRACES, blocked.getMeta().getSimulationId(), blocked.toByteArray());
        int partition = blockedAt.partition();
        RecordMetadata behindAt = kafka.send(Topics.TRACES, partition, behind.getMeta().getSimulationId(), behind.toByteArray());
        kafka.send(Topics.TRACES, (partition + 1) % 4, elsewhere.getMeta().getSimulationId(), elsewhere.toByteArray());

        TestKafka.await("the record on another partition is stored", TIMEOUT, () -> store.contains("iaf", campaign + "-2", 0));
        Thread.sleep(1500);  // several retries of the blocked record (back-off 200 ms)
        TopicPartition tp = new TopicPartition(Topics.TRACES, partition);
        OffsetAndMetadata committed = kafka.committedOffsets(groupId).get(tp);
        assertThat(committed == null ? 0 : committed.offset()).isLessThanOrEqualTo(blockedAt.offset());
        assertThat(store.contains("iaf", campaign + "-1", 0)).as("a record behind the failed one on its partition").isFalse();

        Files.delete(obstacle);
        TestKafka.await("the blocked record is stored after the disk recovers", TIMEOUT,
                () -> store.contains("iaf", campaign + "-0", 0) && store.contains("iaf", campaign + "-1", 0));
        TestKafka.await("the partition is committed past both records", TIMEOUT, () -> committedOffset(tp) > behindAt.offset());
        assertThat(store.completeSimulations("iaf", campaign)).hasSize(3);
    }

    @Test
    void aChunkIsIngestedUnderASpanContinuingTheTraceItsProducerSentAlong() throws Exception {
        String campaign = unique("traced");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String producerSpanId = "b7ad6b7169203331";
        TraceChunk traced = SyntheticTraces.iaf(campaign + "-0", campaign, 1, 1000).toChunks(1000).get(0);
        TraceChunk untraced = SyntheticTraces.iaf(campaign + "-1", campaign, 2, 1000).toChunks(1000).get(0);

        RecordMetadata tracedAt = kafka.send(Topics.TRACES, traced.getMeta().getSimulationId(), traced.toByteArray(),
                Map.of("traceparent", "00-" + traceId + "-" + producerSpanId + "-01"));
        RecordMetadata untracedAt = kafka.send(Topics.TRACES, untraced.getMeta().getSimulationId(), untraced.toByteArray());

        SpanData ingested = awaitIngestionSpan(tracedAt);
        assertThat(ingested.getName()).isEqualTo(Topics.TRACES + " process");
        assertThat(ingested.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(ingested.getTraceId()).isEqualTo(traceId);
        assertThat(ingested.getParentSpanId()).isEqualTo(producerSpanId);
        assertThat(ingested.getParentSpanContext().isRemote()).isTrue();
        assertThat(ingested.getAttributes().get(AttributeKey.stringKey("ns.ingest.outcome"))).isEqualTo("STORED");
        assertThat(store.contains("iaf", campaign + "-0", 0)).isTrue();

        SpanData own = awaitIngestionSpan(untracedAt);
        assertThat(own.getParentSpanContext().isValid()).as("a record without trace headers starts its own trace").isFalse();
        assertThat(own.getTraceId()).isNotEqualTo(traceId);
    }

    private SpanData awaitIngestionSpan(RecordMetadata record) throws InterruptedException {
        TestKafka.await("the span of " + record, TIMEOUT, () -> ingestionSpan(record) != null);
        return ingestionSpan(record);
    }

    private SpanData ingestionSpan(RecordMetadata record) {
        return spans.ended().stream()
                .filter(s -> Topics.TRACES.equals(s.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))))
                .filter(s -> Integer.toString(record.partition())
                        .equals(s.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id"))))
                .filter(s -> Long.valueOf(record.offset()).equals(s.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))))
                .findFirst().orElse(null);
    }

    private long committedOffset(TopicPartition tp) {
        try {
            OffsetAndMetadata o = kafka.committedOffsets(groupId).get(tp);
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record on the traces topic is durable once the group's committed offsets reach the log end. */
    private void awaitEverythingCommitted() throws InterruptedException {
        TestKafka.await("committed offsets reach the log end", TIMEOUT, () -> {
            Map<TopicPartition, Long> end = kafka.endOffsets(Topics.TRACES);
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committedOffset(e.getKey()) == e.getValue());
        });
    }

}

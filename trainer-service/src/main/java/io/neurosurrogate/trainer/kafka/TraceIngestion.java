package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingestion thread: consumes {@code ns.traces.v1} and hands each record to the
 * {@link TraceRecordHandler}. Offsets are committed only after every record of a polled batch is
 * durable (stored or dead-lettered), so a crash means redelivery, which the idempotent store
 * absorbs: no loss, no duplicates. When a record cannot be made durable (disk or broker failure),
 * its partition is rewound to it and retried after a back-off; only what is durable is committed.
 * The thread survives every exception; only shutdown ends it.
 */
@Singleton
public class TraceIngestion {
    private static final Logger LOG = Logger.getLogger(TraceIngestion.class);

    private final KafkaClients clients;
    private final TraceRecordHandler handler;
    private final String groupId;
    private final boolean enabled;
    private final Duration retryBackoff;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong durableRecords = new AtomicLong();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public TraceIngestion(KafkaClients clients, TraceRecordHandler handler,
                          @ConfigProperty(name = "ns.trainer.group-id") String groupId,
                          @ConfigProperty(name = "ns.trainer.ingest.enabled", defaultValue = "true") boolean enabled,
                          @ConfigProperty(name = "ns.trainer.ingest.retry-backoff", defaultValue = "2s") Duration retryBackoff) {
        this.clients = clients;
        this.handler = handler;
        this.groupId = groupId;
        this.enabled = enabled;
        this.retryBackoff = retryBackoff;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("trace ingestion disabled (ns.trainer.ingest.enabled=false)");
            return;
        }
        thread = new Thread(this::run, "ns-trace-ingestion");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Records made durable since startup (stored, already present or dead-lettered). */
    public long durableRecords() {
        return durableRecords.get();
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void run() {
        LOG.infof("trace ingestion: consuming %s as group %s", Topics.TRACES, groupId);
        while (running()) {
            try (KafkaConsumer<byte[], byte[]> c = clients.newConsumer(groupId, "ns-trainer-ingestion")) {
                consumer = c;
                c.subscribe(List.of(Topics.TRACES));
                while (running()) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        ingest(c, records);
                    }
                }
            } catch (WakeupException e) {
                // shutdown
            } catch (Throwable e) {
                // Broker unreachable, commit failed after a rebalance, even an Error: log it, keep the
                // thread alive; uncommitted records are delivered again to the next consumer.
                LOG.errorf(e, "trace ingestion failed; reconnecting in %s", retryBackoff);
                backOff();
            } finally {
                consumer = null;
            }
        }
        LOG.info("trace ingestion stopped");
    }

    /**
     * Handles a polled batch partition by partition. A record that cannot be made durable stops its
     * partition (order within a partition is kept): the consumer is rewound to it, the other
     * partitions go on. Then everything durable is committed, and after a failure the loop backs off.
     */
    private void ingest(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        boolean failed = false;
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                try {
                    handler.handle(r);
                } catch (Exception e) {
                    LOG.errorf(e, "record %s-%d@%d is not durable; retrying in %s", r.topic(), r.partition(), r.offset(), retryBackoff);
                    c.seek(tp, r.offset());
                    failed = true;
                    break;
                }
                durable.put(tp, new OffsetAndMetadata(r.offset() + 1));
                durableRecords.incrementAndGet();
            }
        }
        if (!durable.isEmpty()) {
            c.commitSync(durable);
        }
        if (failed) {
            backOff();
        }
    }

    private void backOff() {
        try {
            stopping.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }
}

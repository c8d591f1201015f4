package io.neurosurrogate.simulator.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.proto.v1.SimulationEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows {@code ns.simulation-events.v1} on one thread, with its own consumer outside any group
 * (every replica must see every event): all partitions assigned, starting at the end when it starts
 * (campaigns started before belong to an earlier life of this replica). After a connection failure it
 * resumes where it was, so no event is missed while it runs. Events go to the listener, which counts
 * those of the campaigns this replica owns ({@code CampaignRunner.onSimulationEvent}).
 */
public final class SimulationEventFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimulationEventFollower.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

    private final String bootstrapServers;
    private final String topic;
    private final String clientId;
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** Next offset to read per partition, kept across reconnections. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean following;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Consumer<SimulationEvent> listener;
    private Thread thread;

    public SimulationEventFollower(String bootstrapServers, String topic, String clientId) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.clientId = clientId;
    }

    /** Starts following; {@link #isFollowing()} turns true once the end of every partition is known. */
    public synchronized void start(Consumer<SimulationEvent> eventListener) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = eventListener;
        thread = new Thread(this::run, "ns-simulation-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while every event published from now on will reach the listener. */
    public boolean isFollowing() {
        return following;
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void run() {
        while (running()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                if (!running()) {
                    return;
                }
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist");
                }
                c.assign(partitions);
                for (TopicPartition tp : partitions) {
                    Long next = positions.get(tp);
                    if (next == null) {
                        c.seekToEnd(List.of(tp));
                        positions.put(tp, c.position(tp, Duration.ofSeconds(30)));
                    } else {
                        c.seek(tp, next);
                    }
                }
                following = true;
                LOG.debugf("following %s from %s", topic, positions);
                while (running()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        deliver(r);
                        positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (Throwable e) {
                LOG.errorf(e, "following %s failed; reconnecting in %s", topic, RETRY_BACKOFF);
                backOff();
            } finally {
                consumer = null;
            }
        }
        following = false;
    }

    private void deliver(ConsumerRecord<String, byte[]> r) {
        SimulationEvent event;
        try {
            event = SimulationEvent.parseFrom(r.value() == null ? new byte[0] : r.value());
        } catch (InvalidProtocolBufferException e) {
            // Not ours to dead-letter (every replica reads it): skip it, loudly.
            LOG.warnf("record %s-%d@%d is not a SimulationEvent: skipped (%s)", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "simulation event of campaign %s index %d not applied", event.getCampaignId(), event.getSimIndex());
        }
    }

    private void backOff() {
        try {
            stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return p;
    }

    /** Stops following (wakes the consumer up) and waits up to 10 s for the thread. */
    @Override
    public void close() {
        stopping.countDown();
        following = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

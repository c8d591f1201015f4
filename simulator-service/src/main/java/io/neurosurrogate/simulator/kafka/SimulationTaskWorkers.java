package io.neurosurrogate.simulator.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.simulator.campaign.SimulationTaskExecutor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import io.opentelemetry.context.Scope;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulation workers of one replica, in distributed mode: {@code workers} threads (all cores by
 * default), each with its own consumer of {@code ns.simulation-tasks.v1} in the shared worker group,
 * taking one task at a time ({@code max.poll.records=1}). A task is simulated, its chunks published and
 * acknowledged, its outcome published to {@code ns.simulation-events.v1}, and only then is its offset
 * committed: if the replica dies before, the group hands the task to another consumer, which redoes
 * it (same seed, same trace; the trainer's ingestion is idempotent per chunk, the owner counts each
 * index once). A record that is not a valid task goes to {@code ns.deadletter.v1} with the reason
 * headers and is committed. Threads survive every failure; only {@link #close()} ends them.
 *
 * <p>Parallelism across all replicas is bounded by the partitions of the tasks topic: a consumer
 * without a partition idles.
 */
public final class SimulationTaskWorkers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimulationTaskWorkers.class);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);
    private static final long SEND_TIMEOUT_S = 60;

    /**
     * @param maxTaskTime longest a simulation plus its publication may take before the group deems the
     *                    consumer dead and hands its task to another ({@code max.poll.interval.ms})
     * @param workerName  this replica's name in the events
     */
    public record Settings(String bootstrapServers, String tasksTopic, String eventsTopic, String workerGroup,
                           int workers, Duration maxTaskTime, String workerName) {
        public Settings {
            if (workers < 1) {
                throw new IllegalArgumentException("simulation task workers must be at least 1, got " + workers);
            }
        }
    }

    private final Settings settings;
    private final SimulationTaskExecutor executor;
    private final SimulatorProducer producer;
    private final TraceContextHeaders traceContext;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Set<KafkaConsumer<String, byte[]>> consumers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger assigned = new AtomicInteger();
    private final AtomicLong tasksDone = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    public SimulationTaskWorkers(Settings settings, SimulationTaskExecutor executor, SimulatorProducer producer,
                                 TraceContextHeaders traceContext) {
        this.settings = settings;
        this.executor = executor;
        this.producer = producer;
        this.traceContext = traceContext;
    }

    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (int n = 0; n < settings.workers(); n++) {
            int worker = n;
            Thread t = new Thread(() -> work(worker), "ns-sim-task-" + n);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        LOG.infof("%d simulation workers consume %s as group %s (worker %s)", settings.workers(), settings.tasksTopic(),
                settings.workerGroup(), settings.workerName());
    }

    /** Partitions of the tasks topic assigned to this replica's consumers right now. */
    public int assignedPartitions() {
        return assigned.get();
    }

    /** Tasks run to an outcome (ok, failed or skipped) whose event was published, since start. */
    public long tasksDone() {
        return tasksDone.get();
    }

    /** Records sent to the dead-letter topic since start. */
    public long deadLettered() {
        return deadLettered.get();
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void work(int n) {
        while (running()) {
            KafkaConsumer<String, byte[]> c = null;
            Set<TopicPartition> mine = ConcurrentHashMap.newKeySet();
            try {
                c = new KafkaConsumer<>(properties(n), new StringDeserializer(), new ByteArrayDeserializer());
                consumers.add(c);
                if (!running()) {
                    return;
                }
                c.subscribe(List.of(settings.tasksTopic()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        forget(partitions);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        forget(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        for (TopicPartition tp : partitions) {
                            if (mine.add(tp)) {
                                assigned.incrementAndGet();
                            }
                        }
                    }

                    private void forget(Collection<TopicPartition> partitions) {
                        for (TopicPartition tp : partitions) {
                            if (mine.remove(tp)) {
                                assigned.decrementAndGet();
                            }
                        }
                    }
                });
                while (running()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (handle(r)) {
                            commit(c, tp, r);
                        } else {
                            c.seek(tp, r.offset());
                            backOff();
                        }
                    }
                }
            } catch (WakeupException | InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                // closing: an uncommitted task is redone by another consumer of the group
                return;
            } catch (Throwable e) {
                LOG.errorf(e, "simulation worker %d failed; reconnecting in %s", n, RETRY_BACKOFF);
                backOff();
            } finally {
                assigned.addAndGet(-mine.size());
                mine.clear();
                if (c != null) {
                    consumers.remove(c);
                    boolean interrupted = Thread.interrupted(); // so that close can leave the group cleanly
                    closeQuietly(c);
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, TopicPartition tp, ConsumerRecord<String, byte[]> r) {
        try {
            c.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partition moved during the simulation: its new consumer redoes the task, and the owner
            // ignores the second event of the index.
            LOG.warnf("task %s (%s-%d@%d) done but not committed (%s): it will be redone", r.key(), r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        }
    }

    /** Runs one record to an outcome; true when it may be committed, false to retry it. */
    private boolean handle(ConsumerRecord<String, byte[]> r) throws InterruptedException {
        SimulationTask task;
        try {
            if (r.value() == null || r.value().length == 0) {
                throw new IllegalArgumentException("empty record where a SimulationTask was expected");
            }
            task = SimulationTask.parseFrom(r.value());
            SimulationTaskExecutor.validate(task);
        } catch (InvalidProtocolBufferException e) {
            return deadLetter(r, "not a SimulationTask: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return deadLetter(r, e.getMessage());
        }
        SimulationEvent event;
        // The campaign's trace (from the task's headers) goes on into the chunks this task publishes.
        try (Scope ignored = traceContext.extract(r.headers()).makeCurrent()) {
            event = executor.execute(task, settings.workerName());
        }
        try {
            producer.send(settings.eventsTopic(), task.getCampaignId(), event.toByteArray()).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
            tasksDone.incrementAndGet();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.errorf(cause, "outcome of task %s not published; the task will be redone", r.key());
            return false;
        }
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> source, String reason) throws InterruptedException {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.DEAD_LETTER, source.key(), source.value());
        for (Header h : source.headers()) {
            out.headers().add(h);
        }
        out.headers().add(Topics.HEADER_DLQ_REASON, utf8(reason));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_TOPIC, utf8(source.topic()));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        out.headers().add(Topics.HEADER_DLQ_SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        try {
            producer.send(out).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
            deadLettered.incrementAndGet();
            LOG.warnf("record %s-%d@%d dead-lettered: %s", source.topic(), source.partition(), source.offset(), reason);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf(e, "record %s-%d@%d could not be dead-lettered; retrying", source.topic(), source.partition(), source.offset());
            return false;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Properties properties(int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.workerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ns-sim-worker-" + settings.workerName() + "-" + n);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, settings.maxTaskTime().toMillis()));
        // Moving only the partitions that must move: a rebalance does not take tasks away from busy workers.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    private void backOff() {
        try {
            stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private static void closeQuietly(KafkaConsumer<String, byte[]> c) {
        try {
            c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.debugf("closing a task consumer: %s", e.getMessage());
        }
    }

    /**
     * Stops taking tasks: wakes the consumers up and interrupts the threads (a simulation in progress is
     * left uncommitted, so another replica redoes it), then waits up to 10 s for them.
     */
    @Override
    public void close() {
        stopping.countDown();
        for (KafkaConsumer<String, byte[]> c : consumers) {
            c.wakeup();
        }
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : all) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package io.neurosurrogate.inference.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.core.tracing.KafkaTraceHeaders;
import io.neurosurrogate.inference.InferenceConfig;
import io.neurosurrogate.inference.registry.ModelInstaller;
import io.neurosurrogate.proto.v1.ModelEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Follows the compacted topic ns.models.v1 on a dedicated thread. It assigns every partition and
 * reads from the beginning, with no consumer group and no commits: each replica must learn every
 * model version, and the compacted topic is the registry's source of truth after a restart.
 * Broker errors recreate the consumer after a pause; the thread only ends at shutdown.
 *
 * <p>Each event is handled under a span continuing the trace its record carries ({@code traceparent}, put there
 * by the trainer from the training job's StartTraining call), and the installation it queues runs in that trace.
 */
@Singleton
public class ModelEventFollower {
    private static final Logger LOG = Logger.getLogger(ModelEventFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final ModelInstaller installer;
    private final String bootstrapServers;
    private final String topic;
    private final boolean enabled;
    private final Duration retryBackoff;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    @Inject
    public ModelEventFollower(ModelInstaller installer, InferenceConfig config,
                              @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrapServers,
                              OpenTelemetry openTelemetry) {
        this(installer, bootstrapServers, config.modelsTopic(), config.follower().enabled(), config.follower().retryBackoff(),
                openTelemetry);
    }

    /** A follower that neither reads nor continues traces. */
    public ModelEventFollower(ModelInstaller installer, String bootstrapServers, String topic, boolean enabled, Duration retryBackoff) {
        this(installer, bootstrapServers, topic, enabled, retryBackoff, OpenTelemetry.noop());
    }

    public ModelEventFollower(ModelInstaller installer, String bootstrapServers, String topic, boolean enabled, Duration retryBackoff,
                              OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.neurosurrogate.inference");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.installer = installer;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.enabled = enabled;
        this.retryBackoff = retryBackoff;
    }

    void onStart(@Observes StartupEvent ev) {
        start();
    }

    void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
        stop();
    }

    /** Starts the follower thread (unless disabled by config). */
    public synchronized void start() {
        if (!enabled) {
            LOG.info("model event follower disabled (ns.inference.follower.enabled=false)");
            return;
        }
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "model-event-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops polling and waits briefly for the thread to end. */
    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    private void run() {
        LOG.infof("following %s on %s from the beginning", topic, bootstrapServers);
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    LOG.warnf("topic %s has no partitions yet (broker %s); retrying in %s", topic, bootstrapServers, retryBackoff);
                    pause();
                    continue;
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                LOG.infof("assigned %d partitions of %s", partitions.size(), topic);
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                        dispatchInItsTrace(record);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    LOG.warn("model event follower woken up unexpectedly; reconnecting");
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf(e, "model event follower lost %s on %s; replaying from the beginning in %s",
                            topic, bootstrapServers, retryBackoff);
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
        LOG.info("model event follower stopped");
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, METADATA_TIMEOUT);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo p : infos) {
                out.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        return out;
    }

    private void dispatchInItsTrace(ConsumerRecord<String, byte[]> record) {
        Span span = tracer.spanBuilder(record.topic() + " process")
                .setParent(propagator.extract(Context.root(), record.headers(), KafkaTraceHeaders.GETTER))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            dispatch(record);
        } finally {
            span.end();
        }
    }

    /** The trainer owns this topic: a record we cannot read is logged and skipped, never fatal. */
    private void dispatch(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            installer.acceptTombstone(record.key());
            return;
        }
        try {
            ModelEvent event = ModelEvent.parseFrom(record.value());
            if (!event.hasModel() || event.getModel().getModelName().isBlank()) {
                LOG.warnf("skipping model event without a model at %s-%d@%d (key %s)",
                        record.topic(), record.partition(), record.offset(), record.key());
                return;
            }
            installer.accept(event);
        } catch (InvalidProtocolBufferException e) {
            LOG.warnf("skipping unparseable model event at %s-%d@%d (key %s): %s",
                    record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "inference-models-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // during a broker outage, reconnect attempts back off to one per 5 s instead of one per second
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        return p;
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}

package io.neurosurrogate.simulator.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.broker.EmbeddedKafkaBroker;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.SimulatorConfig;
import io.neurosurrogate.simulator.campaign.CampaignPlanner;
import io.neurosurrogate.simulator.campaign.CampaignRun;
import io.neurosurrogate.simulator.campaign.CampaignRunner;
import io.neurosurrogate.simulator.campaign.CampaignStore;
import io.neurosurrogate.simulator.campaign.SimulationTaskExecutor;
import io.neurosurrogate.simulator.campaign.TraceSimulator;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distributed campaigns on a real embedded broker: two "replicas" (each its own producer, runner,
 * event follower and workers, as SimulatorBeans wires them) share the tasks of a campaign started on
 * one of them. Every test uses its own tasks/events/traces topics and worker group.
 */
class DistributedCampaignTest {
    private static final int TASK_PARTITIONS = 8;
    private static final AtomicInteger TEST_NUMBER = new AtomicInteger();
    private static EmbeddedKafkaBroker broker;
    /** W3C trace context in record headers, as the Quarkus-configured OpenTelemetry propagates it. */
    private static final TraceContextHeaders TRACE_CONTEXT = new TraceContextHeaders(
            OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance())));

    private String tasksTopic;
    private String eventsTopic;
    private String tracesTopic;
    private String group;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Kept referenced: java.util.logging holds loggers weakly, and a collected logger forgets its level. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of(
            "kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper")
            .map(java.util.logging.Logger::getLogger).toList();

    @BeforeAll
    static void startBroker() {
        // a plain JUnit test: no Quarkus test profile to quieten the in-process broker's INFO chatter
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void topics() throws Exception {
        int n = TEST_NUMBER.incrementAndGet();
        tasksTopic = "test-tasks-" + n;
        eventsTopic = "test-events-" + n;
        tracesTopic = "test-traces-" + n;
        group = "test-workers-" + n;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(tasksTopic, TASK_PARTITIONS, (short) 1),
                    new NewTopic(eventsTopic, 4, (short) 1), new NewTopic(tracesTopic, 4, (short) 1))).all().get();
        }
    }

    @AfterEach
    void closeReplicas() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void twoReplicasShareACampaignAndPublishExactlyTheTracesOfALocalRun() throws Exception {
        Replica a = new Replica("replica-a", 2);
        Replica b = new Replica("replica-b", 2);
        awaitGroup(() -> a.assigned() > 0 && b.assigned() > 0 && a.assigned() + b.assigned() == TASK_PARTITIONS);

        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(16).setDurationMs(300)
                .setChunkMs(100).setSeed(2024).setWorkers(2).setName("shared").build();
        Campaign started = a.runner.start(spec);
        String id = started.getCampaignId();
        assertThat(started.getState()).isIn(CampaignState.CAMPAIGN_STATE_RUNNING, CampaignState.CAMPAIGN_STATE_SUCCEEDED);

        Campaign done = awaitEnd(a.runner, id);
        assertThat(done.getState()).as(done.getError()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(done.getCompleted()).isEqualTo(16);
        assertThat(done.getFailed()).isZero();
        assertThat(done.getChunksPublished()).isEqualTo(48);
        assertThat(done.getSimulatedMs()).isEqualTo(16 * 300.0);
        assertThat(done.getEngineSeconds()).isPositive();
        assertThat(done.getSpec().getName()).isEqualTo("shared");
        // the listener records the indices right after the runner ends the campaign: wait for it
        awaitTrue(() -> a.indicesAtEnd.containsKey(id), "end of campaign recorded by the listener");
        assertThat(a.indicesAtEnd.get(id)).isEqualTo(range(16));
        assertThat(awaitLastStatus(a.statuses).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(b.runner.all()).as("replica b owns nothing").isEmpty();

        // Both replicas did some of the work, each index once.
        List<SimulationEvent> events = events(id, 16);
        assertThat(events).extracting(SimulationEvent::getSimIndex).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.getOk()).as(e.getError()).isTrue());
        Map<String, Integer> perWorker = new TreeMap<>();
        events.forEach(e -> perWorker.merge(e.getWorker(), 1, Integer::sum));
        assertThat(perWorker).containsOnlyKeys("replica-a", "replica-b");
        assertThat(a.dist.workers().tasksDone() + b.dist.workers().tasksDone()).isEqualTo(16);

        // The traces equal a local (non-distributed) run of the same spec, simulation by simulation.
        Map<String, List<TraceChunk>> published = traces(id, 48);
        assertThat(published).hasSize(16);
        Map<Integer, List<TraceChunk>> local = localRun(spec);
        for (int i = 0; i < 16; i++) {
            List<TraceChunk> chunks = published.get(TraceSimulator.simulationId(id, i));
            assertThat(chunks).as("simulation %d", i).hasSize(3);
            assertSameTrace(SimulationTrace.fromChunks(chunks), SimulationTrace.fromChunks(local.get(i)), i);
        }
    }

    @Test
    void theTraceOfTheCallThatStartedACampaignGoesWithItsTasksIntoEveryReplicasChunks() throws Exception {
        Replica a = new Replica("replica-a", 2);
        Replica b = new Replica("replica-b", 2);
        awaitGroup(() -> a.assigned() > 0 && b.assigned() > 0 && a.assigned() + b.assigned() == TASK_PARTITIONS);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        SpanContext caller = SpanContext.createFromRemoteParent(traceId, "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault());

        String id;
        try (Scope ignored = Context.root().with(Span.wrap(caller)).makeCurrent()) {
            id = a.runner.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(8).setDurationMs(200)
                    .setChunkMs(100).setSeed(5).setWorkers(2).build()).getCampaignId();
        }
        Campaign done = awaitEnd(a.runner, id);
        assertThat(done.getState()).as(done.getError()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);

        List<SimulationEvent> events = events(id, 8);
        assertThat(events).extracting(SimulationEvent::getWorker).contains("replica-a", "replica-b");
        List<ConsumerRecord<String, byte[]>> chunks = TopicRecords.exactly(broker.bootstrapServers(), tracesTopic,
                r -> r.key().startsWith(id + "-"), 16);
        assertThat(chunks).allSatisfy(r -> assertThat(r.headers().lastHeader("traceparent")).isNotNull()
                .extracting(h -> new String(h.value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("00-" + traceId + "-b7ad6b7169203331-01"));
    }

    @Test
    void aTaskTakenByAReplicaThatDiesBeforeCommittingIsRedoneAndCountedOnce() throws Exception {
        Replica a = new Replica("replica-a", 2);
        SimulatorProducer producer = producer();
        try (KafkaConsumer<String, byte[]> doomed = new KafkaConsumer<>(doomedConsumerProperties(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            doomed.subscribe(List.of(tasksTopic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(doomed.assignment().size() > 0 && a.assigned() + doomed.assignment().size() == TASK_PARTITIONS)) {
                assertThat(System.nanoTime()).as("group formed").isLessThan(deadline);
                assertThat(doomed.poll(Duration.ofMillis(100))).isEmpty();
            }

            // The doomed replica takes one task, runs it completely (chunks and event published)...
            // Tasks are keyed by simulation id, so a campaign's 16 tasks may all miss the doomed
            // consumer's partitions (about 1 in 100 with 2 of 8): replica a then finishes it alone, and
            // the test starts another campaign.
            String id = null;
            ConsumerRecord<String, byte[]> taken = null;
            for (int attempt = 0; taken == null; attempt++) {
                assertThat(attempt).as("the doomed consumer (partitions %s) got a task of one of 3 campaigns",
                        doomed.assignment()).isLessThan(3);
                id = a.runner.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(16)
                        .setDurationMs(300).setChunkMs(100).setSeed(7 + attempt).build()).getCampaignId();
                long taskDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (taken == null && !CampaignRun.isTerminal(a.runner.get(id).getState())) {
                    assertThat(System.nanoTime()).as("the doomed consumer got a task or the campaign ended")
                            .isLessThan(taskDeadline);
                    for (ConsumerRecord<String, byte[]> r : doomed.poll(Duration.ofMillis(100))) {
                        taken = r;
                    }
                }
            }
            String campaignId = id;
            SimulationTask task = SimulationTask.parseFrom(taken.value());
            SimulationTaskExecutor executor = new SimulationTaskExecutor(
                    new CampaignPlanner(NeuronEngines.builtIn(), 2, 8), traces(producer), campaign -> false);
            SimulationEvent event = executor.execute(task, "doomed");
            assertThat(event.getOk()).as(event.getError()).isTrue();
            producer.send(eventsTopic, campaignId, event.toByteArray()).get(30, TimeUnit.SECONDS);
            // ... and dies before committing it (close leaves the group; its partitions go to replica a).
            int doomedIndex = task.getSimIndex();
            doomed.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));

            Campaign done = awaitEnd(a.runner, campaignId);
            assertThat(done.getState()).as(done.getError()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
            awaitTrue(() -> a.indicesAtEnd.containsKey(campaignId), "end of campaign recorded by the listener");
            assertThat(a.indicesAtEnd.get(campaignId)).as("the campaign ended only once every index had reported")
                    .isEqualTo(range(16));
            List<SimulationEvent> events = events(campaignId, 17);
            assertThat(events).filteredOn(e -> e.getSimIndex() == doomedIndex)
                    .extracting(SimulationEvent::getWorker).containsExactlyInAnyOrder("doomed", "replica-a");
            assertThat(events).extracting(SimulationEvent::getSimIndex).containsAll(range(16));
            Campaign afterRedo = a.runner.get(campaignId);
            assertThat(afterRedo.getCompleted()).as("the redone index counts once").isEqualTo(16);
            assertThat(afterRedo.getChunksPublished()).isEqualTo(48);
            assertThat(afterRedo.getSimulatedMs()).isEqualTo(16 * 300.0);

            // The redone simulation was published twice, identically (ingestion keeps one copy per chunk).
            Map<String, List<TraceChunk>> published = traces(campaignId, 51);
            List<TraceChunk> twice = published.get(TraceSimulator.simulationId(campaignId, doomedIndex));
            assertThat(twice).hasSize(6);
            Map<Integer, TraceChunk> first = new TreeMap<>();
            for (TraceChunk c : twice) {
                TraceChunk stable = c.toBuilder().setMeta(c.getMeta().toBuilder().clearCreatedAtMs()).build();
                TraceChunk previous = first.putIfAbsent(c.getChunkIndex(), stable);
                if (previous != null) {
                    assertThat(stable).as("chunk %d redone identically", c.getChunkIndex()).isEqualTo(previous);
                }
            }
            assertThat(first).hasSize(3);
        } finally {
            producer.close();
        }
    }

    @Test
    void poisonedTasksAreDeadLetteredWithTheReasonAndTheWorkersKeepGoing() throws Exception {
        Replica a = new Replica("replica-a", 1);
        awaitGroup(() -> a.assigned() == TASK_PARTITIONS);
        SimulatorProducer producer = producer();
        try {
            RecordMetadata garbage = producer.send(tasksTopic, "garbage", "not a task".getBytes(StandardCharsets.UTF_8))
                    .get(30, TimeUnit.SECONDS);
            SimulationTask outOfRange = SimulationTask.newBuilder().setCampaignId("c-0000000000aa").setSimIndex(7)
                    .setSpec(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(2)).build();
            RecordMetadata badIndex = producer.send(tasksTopic, "c-0000000000aa-000007", outOfRange.toByteArray())
                    .get(30, TimeUnit.SECONDS);

            Campaign started = a.runner.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(3)
                    .setDurationMs(200).setSeed(1).build());
            Campaign done = awaitEnd(a.runner, started.getCampaignId());
            assertThat(done.getState()).as(done.getError()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
            assertThat(done.getCompleted()).isEqualTo(3);

            List<ConsumerRecord<String, byte[]>> letters = TopicRecords.exactly(broker.bootstrapServers(), Topics.DEAD_LETTER,
                    r -> tasksTopic.equals(header(r, Topics.HEADER_DLQ_SOURCE_TOPIC)), 2);
            Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
            letters.forEach(r -> byKey.put(r.key(), r));
            ConsumerRecord<String, byte[]> g = byKey.get("garbage");
            assertThat(header(g, Topics.HEADER_DLQ_REASON)).startsWith("not a SimulationTask");
            assertThat(new String(g.value(), StandardCharsets.UTF_8)).isEqualTo("not a task");
            assertThat(header(g, Topics.HEADER_DLQ_SOURCE_PARTITION)).isEqualTo(Integer.toString(garbage.partition()));
            assertThat(header(g, Topics.HEADER_DLQ_SOURCE_OFFSET)).isEqualTo(Long.toString(garbage.offset()));
            ConsumerRecord<String, byte[]> bad = byKey.get("c-0000000000aa-000007");
            assertThat(header(bad, Topics.HEADER_DLQ_REASON)).contains("sim_index 7 outside [0, 2)");
            assertThat(header(bad, Topics.HEADER_DLQ_SOURCE_OFFSET)).isEqualTo(Long.toString(badIndex.offset()));
            awaitTrue(() -> a.dist.workers().deadLettered() == 2 && a.dist.workers().tasksDone() == 3, "poison committed");
        } finally {
            producer.close();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** One simulator replica wired as SimulatorBeans does in distributed mode. */
    private final class Replica implements AutoCloseable {
        final SimulatorProducer producer = producer();
        final List<Campaign> statuses = new CopyOnWriteArrayList<>();
        /** Distinct simulation indices whose event had reached the runner when each campaign ended. */
        final Map<String, Set<Integer>> indicesAtEnd = new ConcurrentHashMap<>();
        private final Map<String, Set<Integer>> indicesSeen = new ConcurrentHashMap<>();
        final DistributedCampaigns dist;
        final CampaignRunner runner;

        Replica(String name, int workers) {
            CampaignPlanner planner = new CampaignPlanner(NeuronEngines.builtIn(), 2, 8);
            KafkaTracePublisher traces = traces(producer);
            dist = new DistributedCampaigns(new SimulationTaskWorkers.Settings(broker.bootstrapServers(), tasksTopic,
                    eventsTopic, group, workers, Duration.ofMinutes(5), name), producer, TRACE_CONTEXT);
            runner = new CampaignRunner(planner, new CampaignStore(100), traces, statuses::add, Duration.ofMillis(100), 4,
                    dist.taskQueue());
            dist.start(event -> {
                Set<Integer> seen = indicesSeen.computeIfAbsent(event.getCampaignId(), k -> ConcurrentHashMap.newKeySet());
                seen.add(event.getSimIndex());
                runner.onSimulationEvent(event);
                if (runner.all().stream().anyMatch(r -> r.campaignId().equals(event.getCampaignId()) && r.isTerminal())) {
                    indicesAtEnd.putIfAbsent(event.getCampaignId(), Set.copyOf(seen));
                }
            }, new SimulationTaskExecutor(planner, traces, runner::skipTasksOf));
            toClose.add(this);
            awaitTrue(dist::followingEvents, name + " follows the events");
        }

        int assigned() {
            return dist.workers().assignedPartitions();
        }

        @Override
        public void close() {
            runner.close();
            dist.close();
            producer.close();
        }
    }

    private SimulatorProducer producer() {
        SimulatorProducer p = new SimulatorProducer();
        p.bootstrapServers = broker.bootstrapServers();
        p.config = config();
        p.traceContext = TRACE_CONTEXT;
        return p;
    }

    private KafkaTracePublisher traces(SimulatorProducer producer) {
        KafkaTracePublisher t = new KafkaTracePublisher();
        t.producer = producer;
        t.config = config();
        return t;
    }

    /** The settings the producer and trace publisher read; any other method is not expected here. */
    private SimulatorConfig config() {
        SimulatorConfig.Producer producerSettings = (SimulatorConfig.Producer) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{SimulatorConfig.Producer.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "lingerMs" -> 5;
                            case "maxRequestSize" -> 1_000_000;
                            case "deliveryTimeoutMs" -> 120_000;
                            case "compressionType" -> "lz4";
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        String traces = tracesTopic;
        return (SimulatorConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{SimulatorConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "producer" -> producerSettings;
                    case "tracesTopic" -> traces;
                    case "campaignsTopic" -> Topics.CAMPAIGNS;
                    case "workers", "workerName" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Map<Integer, List<TraceChunk>> localRun(CampaignSpec spec) throws InterruptedException {
        Map<Integer, List<TraceChunk>> chunks = new ConcurrentHashMap<>();
        try (CampaignRunner local = new CampaignRunner(new CampaignPlanner(NeuronEngines.builtIn(), 2, 8),
                new CampaignStore(10), (simulationId, c) -> {
            chunks.put(c.get(0).getMeta().getSimIndex(), c);
            return CompletableFuture.completedFuture(null);
        }, status -> { }, Duration.ofMillis(100), 1)) {
            Campaign done = awaitEnd(local, local.start(spec).getCampaignId());
            assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        }
        assertThat(chunks).hasSize(spec.getCount());
        return chunks;
    }

    /** Equal apart from the ids of campaign and simulation (different campaigns) and the creation time. */
    private static void assertSameTrace(SimulationTrace actual, SimulationTrace expected, int index) {
        assertThat(actual.meta().getSimIndex()).isEqualTo(index);
        assertThat(actual.meta().toBuilder().clearCreatedAtMs().clearCampaignId().clearSimulationId().build())
                .isEqualTo(expected.meta().toBuilder().clearCreatedAtMs().clearCampaignId().clearSimulationId().build());
        assertThat(actual.somaMv()).as("soma of simulation %d", index).containsExactly(expected.somaMv());
        assertThat(actual.outputSpikeTimesMs()).containsExactly(expected.outputSpikeTimesMs());
        for (int s = 0; s < expected.synapses(); s++) {
            assertThat(actual.spikeBins(s)).as("simulation %d synapse %d", index, s).containsExactly(expected.spikeBins(s));
        }
        assertThat(actual.inputSpikeCount()).isPositive();
    }

    private Properties doomedConsumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "doomed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    private List<SimulationEvent> events(String campaignId, int expected) {
        List<SimulationEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicRecords.exactly(broker.bootstrapServers(), eventsTopic, r -> r.key().equals(campaignId), expected)) {
            events.add(parse(r.value(), SimulationEvent::parseFrom));
        }
        return events;
    }

    private Map<String, List<TraceChunk>> traces(String campaignId, int expected) {
        Map<String, List<TraceChunk>> bySimulation = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicRecords.exactly(broker.bootstrapServers(), tracesTopic, r -> r.key().startsWith(campaignId + "-"), expected)) {
            bySimulation.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(parse(r.value(), TraceChunk::parseFrom));
        }
        return bySimulation;
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private static <T> T parse(byte[] value, Parser<T> parser) {
        try {
            return parser.parse(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Set<Integer> range(int n) {
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static Campaign awaitEnd(CampaignRunner runner, String campaignId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Campaign c = runner.get(campaignId);
            if (CampaignRun.isTerminal(c.getState())) {
                return c;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("campaign " + campaignId + " did not end: " + runner.get(campaignId));
    }

    private static Campaign awaitLastStatus(List<Campaign> statuses) {
        awaitTrue(() -> !statuses.isEmpty() && CampaignRun.isTerminal(statuses.get(statuses.size() - 1).getState()),
                "final status published");
        return statuses.get(statuses.size() - 1);
    }

    private static void awaitGroup(BooleanSupplier formed) {
        awaitTrue(formed, "the worker group assigned every task partition");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

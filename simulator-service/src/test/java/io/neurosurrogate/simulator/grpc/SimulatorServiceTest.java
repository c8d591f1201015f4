package io.neurosurrogate.simulator.grpc;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.broker.KafkaBrokerTestResource;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.simulator.kafka.TopicRecords;
import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.ListCampaignsRequest;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.campaign.TraceSimulator;
import io.neurosurrogate.simulator.engine.IntegrateAndFireEngine;
import io.neurosurrogate.simulator.input.InputRanges;
import io.neurosurrogate.simulator.input.InputGenerator;
import io.neurosurrogate.simulator.input.SimulationSeeds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service over real gRPC on the test port, publishing to a real embedded Kafka broker. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class SimulatorServiceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    private ManagedChannel channel;
    private SimulatorServiceGrpc.SimulatorServiceBlockingStub simulator;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        simulator = SimulatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void campaignPublishesEverySimulationToKafkaExactlyAsADirectSimulationWithTheSameSeed() {
        long seed = 2021;
        Campaign started = simulator.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(4)
                .setDurationMs(1500).setChunkMs(500).setSeed(seed).setWorkers(2).setName("kafka round trip").build());
        String id = started.getCampaignId();
        assertThat(started.getState()).isIn(CampaignState.CAMPAIGN_STATE_RUNNING, CampaignState.CAMPAIGN_STATE_SUCCEEDED);

        List<Campaign> watched = new ArrayList<>();
        simulator.watchCampaign(GetCampaignRequest.newBuilder().setCampaignId(id).build()).forEachRemaining(watched::add);
        Campaign done = watched.get(watched.size() - 1);
        assertThat(done.getState()).as(done.getError()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(done.getCompleted()).isEqualTo(4);
        assertThat(done.getChunksPublished()).isEqualTo(12);
        assertThat(done.getSimulatedMs()).isEqualTo(6000.0);
        assertThat(done.getSpec().getName()).isEqualTo("kafka round trip");
        assertThat(watched).extracting(Campaign::getCompleted).isSorted();
        assertThat(simulator.getCampaign(GetCampaignRequest.newBuilder().setCampaignId(id).build())).isEqualTo(done);
        assertThat(simulator.listCampaigns(ListCampaignsRequest.getDefaultInstance()).getCampaignsList())
                .extracting(Campaign::getCampaignId).contains(id);

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.exactly(bootstrapServers, Topics.TRACES, r -> r.key().startsWith(id + "-"), 12);
        Map<String, List<TraceChunk>> bySimulation = new TreeMap<>();
        Map<String, Integer> partitionOf = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            bySimulation.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(parse(r.value()));
            assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition())).as("one partition per simulation").isEqualTo(r.partition());
        }
        assertThat(bySimulation.keySet()).containsExactly(id + "-000000", id + "-000001", id + "-000002", id + "-000003");

        IntegrateAndFireEngine engine = new IntegrateAndFireEngine();
        InputGenerator generator = engine.inputGenerator(InputStatistics.getDefaultInstance());
        for (int i = 0; i < 4; i++) {
            String simulationId = TraceSimulator.simulationId(id, i);
            List<TraceChunk> chunks = bySimulation.get(simulationId);
            assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c.getMeta().getSimulationId()).isEqualTo(simulationId));
            SimulationTrace published = SimulationTrace.fromChunks(chunks);
            SimulationTrace direct = TraceSimulator.simulate(engine, generator, id, simulationId, i,
                    SimulationSeeds.forSimulation(seed, i), 1500).trace();
            assertSameTrace(published, direct);
            assertThat(published.meta().getSeed()).isEqualTo(SimulationSeeds.forSimulation(seed, i));
            assertThat(published.meta().getDtMs()).isEqualTo(1.0);
            assertThat(published.meta().getEngine()).isEqualTo("java");
            assertThat(published.meta().getVRestMv()).isEqualTo(-75.0);
            assertThat(published.meta().getVThresholdMv()).isEqualTo(-55.0);
            assertThat(published.meta().getParamsMap()).containsKeys("input.hold_ms_base", "input.smoothing_sigma_ms", "engine.tau_ms");
        }

        List<ConsumerRecord<String, byte[]>> statuses = TopicRecords.exactly(bootstrapServers, Topics.CAMPAIGNS, r -> r.key().equals(id) && isFinal(r.value()), 1);
        assertThat(statuses).isNotEmpty();
    }

    @Test
    void simulateReturnsTheWholeSimulationAsOneChunkReproducibleFromItsSeed() {
        SimulateResponse a = simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(3000).setSeed(77).build());
        SimulateResponse b = simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(3000).setSeed(77).build());

        TraceChunk trace = a.getTrace();
        assertThat(trace.getChunkCount()).isEqualTo(1);
        assertThat(trace.getStartMs()).isZero();
        assertThat(trace.getLengthMs()).isEqualTo(3000);
        assertThat(trace.getSomaMvCount()).isEqualTo(3000);
        assertThat(trace.getMeta().getSeed()).isEqualTo(77);
        assertThat(a.getEngineSeconds()).isPositive();
        assertSameTrace(SimulationTrace.fromChunks(List.of(trace)), SimulationTrace.fromChunks(List.of(b.getTrace())));
    }

    @Test
    void simulateLongerThanSixtySecondsIsInvalid() {
        assertStatus(() -> simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(60_001).build()),
                Status.Code.INVALID_ARGUMENT, "duration_ms");
    }

    @Test
    void emptyCampaignIsInvalidArgument() {
        assertStatus(() -> simulator.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(0).build()),
                Status.Code.INVALID_ARGUMENT, "empty campaign");
    }

    @Test
    void unknownNeuronModelIsInvalidArgumentNamingTheKnownModels() {
        assertStatus(() -> simulator.startCampaign(CampaignSpec.newBuilder().setNeuronModel("hodgkin-huxley").setCount(1).build()),
                Status.Code.INVALID_ARGUMENT, "known models: iaf, l5pc-nmda, l5pc-ampa");
        assertStatus(() -> simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setEngine("neuron").build()),
                Status.Code.FAILED_PRECONDITION, "cannot run on engine 'neuron'");
        assertStatus(() -> simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("l5pc-nmda").setEngine("brian").build()),
                Status.Code.INVALID_ARGUMENT, "unknown engine 'brian'");
        assertStatus(() -> simulator.simulate(SimulateRequest.newBuilder().setNeuronModel("l5pc-nmda").setDurationMs(200)
                        .setInput(InputStatistics.newBuilder().setVariant("weird")).build()),
                Status.Code.INVALID_ARGUMENT, "input.variant");
    }

    @Test
    void theL5pcRunsOnTheJavaEngineAndOnNeuronWithTheSameResult() {
        SimulateRequest request = SimulateRequest.newBuilder().setNeuronModel("l5pc-nmda").setDurationMs(300).setSeed(11).build();
        SimulateResponse java = simulator.simulate(request);
        TraceChunk trace = java.getTrace();
        assertThat(trace.getMeta().getEngine()).isEqualTo("java");
        assertThat(trace.getMeta().getNExc()).isEqualTo(trace.getMeta().getNInh()).isGreaterThan(100);
        assertThat(trace.getMeta().getSimDtMs()).isEqualTo(0.025);
        assertThat(trace.getMeta().getParamsMap()).containsEntry("input.generator", "beniaguev2021-l5pc-nmda")
                .containsKey("cell.segments");
        assertThat(trace.getSomaMvCount()).isEqualTo(300);
        assertThat(trace.getInputSpikesCount()).isGreaterThan(100);
        // the cell starts at -80 mV and is driven: it must move, and stay physiological
        assertThat(trace.getSomaMvList()).allSatisfy(v -> assertThat(v).isBetween(-95f, 60f));
        assertThat(trace.getSomaMv(299)).isNotEqualTo(trace.getSomaMv(0));

        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.neurosurrogate.simulator.cell.neuron.NeuronInstallation.system().isAvailable(), "NEURON is not installed");
        SimulateResponse neuron = simulator.simulate(request.toBuilder().setEngine("neuron").build());
        assertThat(neuron.getTrace().getMeta().getEngine()).isEqualTo("neuron");
        assertThat(neuron.getTrace().getInputSpikesList()).isEqualTo(trace.getInputSpikesList());
        for (int i = 0; i < 300; i++) {
            assertThat(neuron.getTrace().getSomaMv(i)).isCloseTo(trace.getSomaMv(i), org.assertj.core.data.Offset.offset(0.01f));
        }
    }

    @Test
    void unknownCampaignIsNotFound() {
        GetCampaignRequest unknown = GetCampaignRequest.newBuilder().setCampaignId("c-000000000000").build();

        assertStatus(() -> simulator.getCampaign(unknown), Status.Code.NOT_FOUND, "c-000000000000");
        assertStatus(() -> simulator.watchCampaign(unknown).hasNext(), Status.Code.NOT_FOUND, "c-000000000000");
    }

    @Test
    void watcherThatCancelsLeavesTheCampaignAndTheServerRunning() throws Exception {
        Campaign started = simulator.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(6)
                .setDurationMs(2000).setWorkers(1).setSeed(5).build());
        GetCampaignRequest request = GetCampaignRequest.newBuilder().setCampaignId(started.getCampaignId()).build();

        Context.CancellableContext watch = Context.current().withCancellation();
        Campaign first = watch.call(() -> {
            Iterator<Campaign> stream = simulator.watchCampaign(request);
            return stream.next();
        });
        watch.cancel(null);
        assertThat(first.getCampaignId()).isEqualTo(started.getCampaignId());

        List<Campaign> secondWatch = new ArrayList<>();
        simulator.watchCampaign(request).forEachRemaining(secondWatch::add);
        assertThat(secondWatch.get(secondWatch.size() - 1).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(secondWatch.get(secondWatch.size() - 1).getCompleted()).isEqualTo(6);
    }

    private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(messagePart);
                });
    }

    private static void assertSameTrace(SimulationTrace actual, SimulationTrace expected) {
        assertThat(actual.meta().toBuilder().clearCreatedAtMs().build())
                .isEqualTo(expected.meta().toBuilder().clearCreatedAtMs().build());
        assertThat(actual.somaMv()).containsExactly(expected.somaMv());
        assertThat(actual.outputSpikeTimesMs()).containsExactly(expected.outputSpikeTimesMs());
        for (int s = 0; s < expected.synapses(); s++) {
            assertThat(actual.spikeBins(s)).as("synapse %d", s).containsExactly(expected.spikeBins(s));
        }
        assertThat(actual.inputSpikeCount()).isPositive();
    }

    private static TraceChunk parse(byte[] value) {
        try {
            return TraceChunk.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isFinal(byte[] value) {
        try {
            return Campaign.parseFrom(value).getState() == CampaignState.CAMPAIGN_STATE_SUCCEEDED;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

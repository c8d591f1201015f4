package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The owner's bookkeeping in distributed mode, without Kafka: tasks go to an in-memory queue, events
 * are fed by hand (duplicates, failures, skips) and the tasks are run by the executor with in-memory
 * traces. The Kafka path is covered by DistributedCampaignTest.
 */
class DistributedCampaignRunnerTest {
    private final List<SimulationTask> queued = new CopyOnWriteArrayList<>();
    private final List<Campaign> statuses = new CopyOnWriteArrayList<>();
    private volatile boolean following = true;
    private volatile CompletableFuture<Void> queueAck = CompletableFuture.completedFuture(null);
    private final CampaignPlanner planner = new CampaignPlanner(NeuronEngines.builtIn(), 2, 8);
    private final CampaignRunner runner = new CampaignRunner(planner, new CampaignStore(10), null, statuses::add,
            Duration.ofMillis(50), 4, new SimulationTaskQueue() {
        @Override
        public boolean followingEvents() {
            return following;
        }

        @Override
        public CompletableFuture<Void> enqueue(List<SimulationTask> tasks) {
            queued.addAll(tasks);
            return queueAck;
        }
    });

    @AfterEach
    void close() {
        runner.close();
    }

    private static CampaignSpec spec(int count) {
        return CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(count).setDurationMs(200).setChunkMs(100)
                .setSeed(9).build();
    }

    private static SimulationEvent ok(String campaignId, int index, String worker) {
        return SimulationEvent.newBuilder().setCampaignId(campaignId).setSimIndex(index).setOk(true)
                .setSimulatedMs(200).setEngineNanos(1_000_000).setChunks(2).setWorker(worker).build();
    }

    @Test
    void startQueuesOneTaskPerSimulationAndCountsEachIndexOnce() {
        Campaign started = runner.start(spec(3));
        String id = started.getCampaignId();
        assertThat(started.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_RUNNING);
        assertThat(queued).extracting(SimulationTask::getSimIndex).containsExactly(0, 1, 2);
        assertThat(queued).allSatisfy(t -> {
            assertThat(t.getCampaignId()).isEqualTo(id);
            assertThat(t.getSpec()).isEqualTo(started.getSpec());
        });

        runner.onSimulationEvent(ok(id, 0, "a"));
        runner.onSimulationEvent(ok(id, 0, "b"));   // redone after a crash
        runner.onSimulationEvent(ok(id, 2, "a"));
        runner.onSimulationEvent(ok(id, 2, "a"));
        runner.onSimulationEvent(ok(id, 7, "a"));   // not an index of the campaign
        runner.onSimulationEvent(ok("c-000000000000", 1, "a"));   // someone else's campaign
        Campaign midway = runner.get(id);
        assertThat(midway.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_RUNNING);
        assertThat(midway.getCompleted()).isEqualTo(2);
        assertThat(midway.getChunksPublished()).isEqualTo(4);

        runner.onSimulationEvent(ok(id, 1, "b"));
        Campaign done = runner.get(id);
        assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(done.getCompleted()).isEqualTo(3);
        assertThat(done.getSimulatedMs()).isEqualTo(600.0);
        assertThat(done.getEngineSeconds()).isEqualTo(0.003);
        runner.onSimulationEvent(ok(id, 1, "a"));
        assertThat(runner.get(id)).isEqualTo(done);
    }

    @Test
    void aFailedSimulationFailsTheCampaignAndTheRestIsSkippedNotCountedAsFailures() throws Exception {
        String id = runner.start(spec(4)).getCampaignId();
        runner.onSimulationEvent(ok(id, 0, "a"));
        runner.onSimulationEvent(SimulationEvent.newBuilder().setCampaignId(id).setSimIndex(1).setOk(false)
                .setError("simulation " + id + "-000001 failed on b: IllegalStateException: boom").setWorker("b").build());
        assertThat(runner.get(id).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
        assertThat(runner.skipTasksOf(id)).isTrue();
        assertThat(runner.skipTasksOf("c-000000000000")).isFalse();

        // A worker now skips the remaining tasks of the campaign.
        SimulationTaskExecutor executor = new SimulationTaskExecutor(planner,
                (simulationId, chunks) -> CompletableFuture.completedFuture(null), runner::skipTasksOf);
        SimulationEvent skipped = executor.execute(queued.get(2), "c");
        assertThat(skipped.getOk()).isFalse();
        assertThat(SimulationTaskExecutor.isSkipped(skipped)).isTrue();
        runner.onSimulationEvent(skipped);
        runner.onSimulationEvent(ok(id, 3, "a"));   // in flight when the failure happened

        Campaign done = runner.get(id);
        assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
        assertThat(done.getError()).isEqualTo("simulation " + id + "-000001 failed on b: IllegalStateException: boom");
        assertThat(done.getFailed()).isEqualTo(1);
        assertThat(done.getCompleted()).isEqualTo(2);
        long deadline = System.nanoTime() + 5_000_000_000L;   // statuses go out on the status thread
        while (statuses.get(statuses.size() - 1).getState() != CampaignState.CAMPAIGN_STATE_FAILED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(statuses.get(statuses.size() - 1).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
    }

    @Test
    void theExecutorRunsATaskExactlyAsALocalRunWould() throws Exception {
        String id = runner.start(spec(2)).getCampaignId();
        List<List<io.neurosurrogate.proto.v1.TraceChunk>> published = new CopyOnWriteArrayList<>();
        SimulationTaskExecutor executor = new SimulationTaskExecutor(planner, (simulationId, chunks) -> {
            published.add(chunks);
            return CompletableFuture.completedFuture(null);
        }, c -> false);
        SimulationEvent event = executor.execute(queued.get(1), "w");
        assertThat(event.getOk()).as(event.getError()).isTrue();
        assertThat(event.getChunks()).isEqualTo(2);
        assertThat(event.getSimulatedMs()).isEqualTo(200.0);
        assertThat(event.getWorker()).isEqualTo("w");
        CampaignPlan plan = planner.plan(spec(2));
        SimulatedTrace direct = TraceSimulator.simulate(plan.engine(), plan.generator(), id, id + "-000001", 1,
                io.neurosurrogate.simulator.input.SimulationSeeds.forSimulation(9, 1), 200);
        assertThat(published.get(0).get(0).getSomaMvList()).isEqualTo(direct.trace().toChunks(100).get(0).getSomaMvList());
        assertThat(published.get(0).get(0).getMeta().getSeed()).isEqualTo(direct.trace().meta().getSeed());

        SimulationEvent unpublished = new SimulationTaskExecutor(planner,
                (simulationId, chunks) -> CompletableFuture.failedFuture(new IllegalStateException("broker unreachable")),
                c -> false).execute(queued.get(0), "w");
        assertThat(unpublished.getOk()).isFalse();
        assertThat(unpublished.getError()).contains(id + "-000000").contains("broker unreachable");
        assertThat(SimulationTaskExecutor.isSkipped(unpublished)).isFalse();

        assertThatThrownBy(() -> executor.execute(queued.get(0).toBuilder().setSimIndex(2).build(), "w"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sim_index 2 outside [0, 2)");
        assertThatThrownBy(() -> executor.execute(SimulationTask.getDefaultInstance(), "w"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without campaign_id");
    }

    @Test
    void tasksNotAcknowledgedFailTheCampaign() {
        queueAck = CompletableFuture.failedFuture(new IllegalStateException("3 tasks were sent but not all were acknowledged"));
        String id = runner.start(spec(3)).getCampaignId();
        Campaign done = runner.get(id);
        assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
        assertThat(done.getError()).startsWith("campaign could not be queued: IllegalStateException: 3 tasks");
        runner.onSimulationEvent(ok(id, 0, "a"));
        assertThat(runner.get(id).getCompleted()).as("no longer counted").isZero();
    }

    @Test
    void aReplicaNotYetFollowingTheEventsRefusesToStartACampaign() {
        following = false;
        assertThatThrownBy(() -> runner.start(spec(1)))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAVAILABLE))
                .hasMessageContaining("not yet following");
        assertThat(queued).isEmpty();
        assertThat(runner.all()).isEmpty();
    }
}

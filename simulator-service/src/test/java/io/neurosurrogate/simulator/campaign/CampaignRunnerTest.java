package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner's bookkeeping with in-memory publishers; the Kafka path is covered by the service test. */
class CampaignRunnerTest {
    private final Map<String, List<TraceChunk>> published = new ConcurrentHashMap<>();
    private final List<Campaign> statuses = new CopyOnWriteArrayList<>();
    private final AtomicInteger publishCalls = new AtomicInteger();
    private CampaignRunner runner;

    private CampaignRunner runner(TracePublisher traces) {
        runner = new CampaignRunner(new CampaignPlanner(NeuronEngines.builtIn(), 2, 8), new CampaignStore(10), traces,
                statuses::add, Duration.ofMillis(50), 2);
        return runner;
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private Campaign awaitEnd(String campaignId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Campaign c = runner.get(campaignId);
            if (CampaignRun.isTerminal(c.getState())) {
                return c;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("campaign " + campaignId + " did not end");
    }

    private Campaign awaitLastStatus(String campaignId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!statuses.isEmpty() && CampaignRun.isTerminal(statuses.get(statuses.size() - 1).getState())) {
                break;
            }
            Thread.sleep(10);
        }
        return statuses.get(statuses.size() - 1);
    }

    @Test
    void campaignPublishesEverySimulationAndSucceeds() throws Exception {
        CampaignRunner r = runner((id, chunks) -> {
            published.put(id, chunks);
            return CompletableFuture.completedFuture(null);
        });

        Campaign started = r.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(5).setDurationMs(2500)
                .setChunkMs(1000).setSeed(3).build());
        assertThat(started.getState()).isIn(CampaignState.CAMPAIGN_STATE_RUNNING, CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(started.getCampaignId()).matches("c-[0-9a-f]{12}");

        Campaign done = awaitEnd(started.getCampaignId());
        assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
        assertThat(done.getCompleted()).isEqualTo(5);
        assertThat(done.getFailed()).isZero();
        assertThat(done.getChunksPublished()).isEqualTo(15);
        assertThat(done.getSimulatedMs()).isEqualTo(12_500.0);
        assertThat(done.getEngineSeconds()).isPositive();
        assertThat(done.getSimMsPerS()).isPositive();
        assertThat(done.getFinishedAtMs()).isGreaterThanOrEqualTo(done.getCreatedAtMs());
        assertThat(published.keySet()).containsExactlyInAnyOrder(
                started.getCampaignId() + "-000000", started.getCampaignId() + "-000001", started.getCampaignId() + "-000002",
                started.getCampaignId() + "-000003", started.getCampaignId() + "-000004");
        assertThat(published.values()).allSatisfy(chunks -> assertThat(chunks).hasSize(3));

        assertThat(statuses.get(0).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_RUNNING);
        assertThat(awaitLastStatus(started.getCampaignId()).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
    }

    @Test
    void unacknowledgedSimulationFailsTheCampaignWithTheError() throws Exception {
        CampaignRunner r = runner((id, chunks) -> {
            publishCalls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
        });

        Campaign started = r.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(50).setDurationMs(200)
                .setWorkers(1).build());
        Campaign done = awaitEnd(started.getCampaignId());

        assertThat(done.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
        assertThat(done.getError()).contains(started.getCampaignId() + "-000000").contains("broker unreachable");
        assertThat(done.getCompleted()).isZero();
        assertThat(done.getFailed()).isEqualTo(1);
        assertThat(publishCalls.get()).as("no simulation starts after the failure").isEqualTo(1);
        assertThat(awaitLastStatus(started.getCampaignId()).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
    }

    @Test
    void startingMoreCampaignsThanAllowedAtOnceIsResourceExhausted() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CampaignRunner r = runner((id, chunks) -> gate.thenApply(v -> null));
        CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(1).setDurationMs(100).build();
        Campaign first = r.start(spec);
        r.start(spec);

        assertThatThrownBy(() -> r.start(spec))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.RESOURCE_EXHAUSTED))
                .hasMessageContaining("2 campaigns are already running");
        gate.complete(null);
        awaitEnd(first.getCampaignId());
        assertThat(r.start(spec).getState()).isNotEqualTo(CampaignState.CAMPAIGN_STATE_FAILED);
    }

    @Test
    void watchersSeeEveryChangeUpToTheTerminalState() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CampaignRunner r = runner((id, chunks) -> gate.thenApply(v -> null));
        Campaign started = r.start(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(3).setDurationMs(100)
                .setWorkers(1).build());
        List<Campaign> seen = new CopyOnWriteArrayList<>();
        r.run(started.getCampaignId()).addListener(change -> seen.add(change.campaign()));

        gate.complete(null);
        awaitEnd(started.getCampaignId());

        assertThat(seen).extracting(Campaign::getCompleted).containsExactly(1, 2, 3, 3);
        assertThat(seen.get(seen.size() - 1).getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
    }
}

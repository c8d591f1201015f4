package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.input.SimulationSeeds;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts campaigns and runs them in the background. Each campaign gets its own pool of
 * {@code workers} threads (at most {@code count}); a worker takes the next simulation index,
 * simulates it, publishes its chunks and waits for the broker's acknowledgements before counting it
 * as completed. The first failure marks the campaign FAILED and stops further simulations (in-flight
 * ones finish). Status goes to the {@link CampaignStatusPublisher} at start, every
 * {@code statusInterval} while running, and at the end.
 *
 * <p>Distributed mode (constructed with a {@link SimulationTaskQueue}): instead of a local pool, the
 * campaign's simulations are queued as tasks shared by every replica's workers
 * ({@link SimulationTaskExecutor}); this runner, the campaign's owner, counts the outcomes reported to
 * {@link #onSimulationEvent} once per simulation index and finishes the campaign when every index has
 * reported (FAILED on the first failure, as locally). Tasks of a campaign known to have stopped are
 * skipped ({@link #skipTasksOf}).
 */
public final class CampaignRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CampaignRunner.class);

    private final CampaignPlanner planner;
    private final CampaignStore store;
    private final TracePublisher traces;
    private final CampaignStatusPublisher statuses;
    private final Duration statusInterval;
    private final int maxRunningCampaigns;
    private final ScheduledExecutorService ticker;
    private final Set<ExecutorService> pools = ConcurrentHashMap.newKeySet();
    /** Distributed mode only (null: simulations run on this instance's pools). */
    private final SimulationTaskQueue taskQueue;
    /** Distributed campaigns this instance owns and still counts events for. */
    private final Map<String, Owned> owned = new ConcurrentHashMap<>();
    /** Campaigns (of any owner) that reported a failure: their remaining tasks are skipped. */
    private final Set<String> failedCampaigns = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_FAILED_CAMPAIGNS;
                }
            }));
    private static final int REMEMBERED_FAILED_CAMPAIGNS = 10_000;
    private volatile boolean closed;

    private record Owned(CampaignRun run, int count, ScheduledFuture<?> tick) {
    }

    /** Runs every simulation of a campaign on this instance. */
    public CampaignRunner(CampaignPlanner planner, CampaignStore store, TracePublisher traces,
                          CampaignStatusPublisher statuses, Duration statusInterval, int maxRunningCampaigns) {
        this(planner, store, traces, statuses, statusInterval, maxRunningCampaigns, null);
    }

    /**
     * @param taskQueue null: simulations run on this instance; otherwise they are queued there for every
     *                  replica (distributed mode) and {@code traces} is not used by the runner
     */
    public CampaignRunner(CampaignPlanner planner, CampaignStore store, TracePublisher traces,
                          CampaignStatusPublisher statuses, Duration statusInterval, int maxRunningCampaigns,
                          SimulationTaskQueue taskQueue) {
        this.taskQueue = taskQueue;
        this.planner = planner;
        this.store = store;
        this.traces = traces;
        this.statuses = statuses;
        this.statusInterval = statusInterval;
        this.maxRunningCampaigns = maxRunningCampaigns;
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("campaign-status"));
    }

    /**
     * Validates and starts a campaign; returns its status right after the start (RUNNING). The trace context current
     * on the calling thread (the StartCampaign call's) stays with the campaign: its simulations' records carry it.
     */
    public Campaign start(CampaignSpec spec) {
        if (closed) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "the simulator is shutting down");
        }
        CampaignPlan plan = planner.plan(spec);
        if (taskQueue != null && !taskQueue.followingEvents()) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "this simulator is not yet following the"
                    + " simulation events (is Kafka reachable?), so it could not count a campaign's results; retry shortly");
        }
        CampaignRun run;
        synchronized (this) {
            if (runningCampaigns() >= maxRunningCampaigns) {
                throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED, maxRunningCampaigns
                        + " campaigns are already running; start this one when one of them has finished");
            }
            run = register(plan.effectiveSpec(), Context.current());
        }
        try {
            if (taskQueue == null) {
                launch(plan, run);
            } else {
                launchDistributed(plan, run);
            }
        } catch (RuntimeException e) {
            // E.g. no more threads: the campaign must not stay RUNNING with nobody working on it.
            run.simulationFailed("campaign could not start: " + describe(e));
            Owned o = owned.remove(run.campaignId());
            if (o != null) {
                o.tick().cancel(false);
            }
            publishStatus(run);
            throw e;
        }
        return run.snapshot();
    }

    private void launch(CampaignPlan plan, CampaignRun run) {
        int threads = Math.min(plan.workers(), plan.count());
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("sim-" + run.campaignId()));
        pools.add(pool);

        run.markRunning();
        publishStatus(run);
        long periodMs = Math.max(1, statusInterval.toMillis());
        ScheduledFuture<?> tick = ticker.scheduleAtFixedRate(() -> statuses.publish(run.snapshot()), periodMs, periodMs,
                TimeUnit.MILLISECONDS);

        AtomicInteger next = new AtomicInteger();
        CompletableFuture<?>[] workers = new CompletableFuture<?>[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = CompletableFuture.runAsync(() -> work(plan, run, next), pool);
        }
        CompletableFuture.allOf(workers).whenComplete((ignored, error) -> {
            tick.cancel(false);
            pool.shutdown();
            pools.remove(pool);
            finished(run, error);
        });
    }

    /** Queues one task per simulation; the outcomes arrive through {@link #onSimulationEvent}. */
    private void launchDistributed(CampaignPlan plan, CampaignRun run) {
        run.markRunning();
        publishStatus(run);
        long periodMs = Math.max(1, statusInterval.toMillis());
        ScheduledFuture<?> tick = ticker.scheduleAtFixedRate(() -> statuses.publish(run.snapshot()), periodMs, periodMs,
                TimeUnit.MILLISECONDS);
        owned.put(run.campaignId(), new Owned(run, plan.count(), tick));

        List<SimulationTask> tasks = new ArrayList<>(plan.count());
        for (int i = 0; i < plan.count(); i++) {
            tasks.add(SimulationTask.newBuilder().setCampaignId(run.campaignId()).setSpec(plan.effectiveSpec())
                    .setSimIndex(i).build());
        }
        CompletableFuture<Void> queued;
        try (Scope ignored = run.traceContext().makeCurrent()) {
            queued = taskQueue.enqueue(tasks);
        }
        queued.whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.errorf(error, "tasks of campaign %s not queued", run.campaignId());
                run.simulationFailed("campaign could not be queued: " + describe(error));
                endOwned(run.campaignId());
            }
        });
    }

    /**
     * Distributed mode: the outcome of one shared simulation, from any replica. Counts it into the
     * campaign if this instance owns it and the index has not reported before (a task redone after a
     * replica died reports twice); finishes the campaign once every index has reported. Never throws.
     */
    public void onSimulationEvent(SimulationEvent event) {
        String campaignId = event.getCampaignId();
        boolean skipped = SimulationTaskExecutor.isSkipped(event);
        if (!event.getOk() && !skipped) {
            failedCampaigns.add(campaignId);
        }
        Owned o = owned.get(campaignId);
        if (o == null || !o.run().markReported(event.getSimIndex())) {
            return;
        }
        if (event.getOk()) {
            o.run().simulationCompleted((int) Math.round(event.getSimulatedMs()), event.getEngineNanos(), event.getChunks());
        } else if (!(skipped && o.run().isStopped())) {
            String simulationId = TraceSimulator.simulationId(campaignId, event.getSimIndex());
            o.run().simulationFailed(event.getError().isEmpty()
                    ? "simulation " + simulationId + " failed on " + event.getWorker() : event.getError());
        }
        if (o.run().reportedCount() >= o.count()) {
            endOwned(campaignId);
        }
    }

    /**
     * Distributed mode: true when the tasks of this campaign need not run, because it is known to
     * have failed (an event said so) or this instance owns it and it was cancelled.
     */
    public boolean skipTasksOf(String campaignId) {
        Owned o = owned.get(campaignId);
        return (o != null && o.run().isStopped()) || failedCampaigns.contains(campaignId);
    }

    private void endOwned(String campaignId) {
        Owned o = owned.remove(campaignId);
        if (o != null) {
            o.tick().cancel(false);
            finished(o.run(), null);
        }
    }

    private void finished(CampaignRun run, Throwable workerError) {
        if (workerError != null) {
            run.simulationFailed("campaign worker failed: " + describe(workerError));
        }
        run.finish();
        publishStatus(run);
        Campaign last = run.snapshot();
        LOG.infof("campaign %s %s: %d completed, %d failed, %.0f simulated ms at %.0f ms/s per worker",
                last.getCampaignId(), last.getState(), last.getCompleted(), last.getFailed(),
                last.getSimulatedMs(), last.getSimMsPerS());
    }

    public Campaign get(String campaignId) {
        return store.get(campaignId).snapshot();
    }

    public CampaignRun run(String campaignId) {
        return store.get(campaignId);
    }

    public List<CampaignRun> all() {
        return store.all();
    }

    private int runningCampaigns() {
        int running = 0;
        for (CampaignRun r : store.all()) {
            if (!r.isTerminal()) {
                running++;
            }
        }
        return running;
    }

    /**
     * Status snapshots are taken and sent on the one status thread, so they reach the topic in order
     * and nothing older than the final status can follow it onto the compacted topic.
     */
    private void publishStatus(CampaignRun run) {
        try {
            ticker.execute(() -> statuses.publish(run.snapshot()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warnf("status of campaign %s not published: the simulator is shutting down", run.campaignId());
        }
    }

    private CampaignRun register(CampaignSpec effectiveSpec, Context traceContext) {
        while (true) {
            String id = String.format("c-%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
            CampaignRun run = new CampaignRun(id, effectiveSpec, System.currentTimeMillis(), traceContext);
            if (store.add(run)) {
                return run;
            }
        }
    }

    private void work(CampaignPlan plan, CampaignRun run, AtomicInteger next) {
        try (Scope ignored = run.traceContext().makeCurrent()) {
            workInCampaignContext(plan, run, next);
        }
    }

    private void workInCampaignContext(CampaignPlan plan, CampaignRun run, AtomicInteger next) {
        while (!closed && !run.isStopped()) {
            int index = next.getAndIncrement();
            if (index >= plan.count()) {
                return;
            }
            simulateAndPublish(plan, run, index);
        }
    }

    private void simulateAndPublish(CampaignPlan plan, CampaignRun run, int index) {
        String simulationId = TraceSimulator.simulationId(run.campaignId(), index);
        try {
            long seed = SimulationSeeds.forSimulation(plan.seed(), index);
            SimulatedTrace result = TraceSimulator.simulate(plan.engine(), plan.generator(), run.campaignId(),
                    simulationId, index, seed, plan.durationMs());
            List<TraceChunk> chunks = result.trace().toChunks(plan.chunkMs());
            traces.publish(simulationId, chunks).get();
            run.simulationCompleted(plan.durationMs(), result.engineNanos(), chunks.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.simulationFailed("simulation " + simulationId + " was interrupted before its chunks were acknowledged");
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "simulation %s was not published", simulationId);
            run.simulationFailed("simulation " + simulationId + " was not published: " + describe(e.getCause()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "simulation %s failed", simulationId);
            run.simulationFailed("simulation " + simulationId + " failed: " + describe(e));
        }
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof ExecutionException || root instanceof java.util.concurrent.CompletionException)) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Cancels running campaigns (their status says so) and stops all workers. */
    @Override
    public void close() {
        closed = true;
        for (CampaignRun run : store.all()) {
            if (!run.isTerminal()) {
                run.cancel("the simulator shut down before the campaign finished");
                publishStatus(run);
            }
        }
        for (ExecutorService pool : pools) {
            pool.shutdownNow();
        }
        for (Owned o : owned.values()) {
            o.tick().cancel(false);
        }
        owned.clear();
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                ticker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticker.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}

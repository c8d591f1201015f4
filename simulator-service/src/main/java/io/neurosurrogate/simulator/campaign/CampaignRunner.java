package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.input.SimulationSeeds;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
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
    private volatile boolean closed;

    public CampaignRunner(CampaignPlanner planner, CampaignStore store, TracePublisher traces,
                          CampaignStatusPublisher statuses, Duration statusInterval, int maxRunningCampaigns) {
        this.planner = planner;
        this.store = store;
        this.traces = traces;
        this.statuses = statuses;
        this.statusInterval = statusInterval;
        this.maxRunningCampaigns = maxRunningCampaigns;
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("campaign-status"));
    }

    /** Validates and starts a campaign; returns its status right after the start (RUNNING). */
    public Campaign start(CampaignSpec spec) {
        if (closed) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "the simulator is shutting down");
        }
        CampaignPlan plan = planner.plan(spec);
        CampaignRun run;
        synchronized (this) {
            if (runningCampaigns() >= maxRunningCampaigns) {
                throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED, maxRunningCampaigns
                        + " campaigns are already running; start this one when one of them has finished");
            }
            run = register(plan.effectiveSpec());
        }
        try {
            launch(plan, run);
        } catch (RuntimeException e) {
            // E.g. no more threads: the campaign must not stay RUNNING with nobody working on it.
            run.simulationFailed("campaign could not start: " + describe(e));
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

    private CampaignRun register(CampaignSpec effectiveSpec) {
        while (true) {
            String id = String.format("c-%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
            CampaignRun run = new CampaignRun(id, effectiveSpec, System.currentTimeMillis());
            if (store.add(run)) {
                return run;
            }
        }
    }

    private void work(CampaignPlan plan, CampaignRun run, AtomicInteger next) {
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

    private static String describe(Throwable t) {
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

package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.simulator.input.SimulationSeeds;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Distributed mode: runs one {@link SimulationTask} taken from the shared queue, exactly as
 * {@link CampaignRunner} runs a simulation locally. The effective spec is planned again (same spec and
 * seed give the same engine, input generator and per-simulation seed, so a redone task gives the same
 * trace), the chunks are published and acknowledged, and the outcome comes back as a
 * {@link SimulationEvent} for the replica that owns the campaign. Thread-safe: one instance serves all
 * worker threads (engines are shared by a campaign's workers today too).
 */
public final class SimulationTaskExecutor {
    private static final Logger LOG = Logger.getLogger(SimulationTaskExecutor.class);
    /** Error prefix of the event of a task not run because its campaign had already stopped. */
    public static final String SKIPPED = "skipped";
    /** Plans of the campaigns seen last, so a campaign's tasks are not re-planned one by one. */
    private static final int CACHED_PLANS = 32;

    private final CampaignPlanner planner;
    private final TracePublisher traces;
    private final Predicate<String> campaignStopped;
    private final Map<String, CampaignPlan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CampaignPlan> eldest) {
            return size() > CACHED_PLANS;
        }
    };

    /**
     * @param campaignStopped true for a campaign known to be FAILED or CANCELLED: its tasks are skipped
     */
    public SimulationTaskExecutor(CampaignPlanner planner, TracePublisher traces, Predicate<String> campaignStopped) {
        this.planner = planner;
        this.traces = traces;
        this.campaignStopped = campaignStopped;
    }

    /**
     * Checks what any replica needs to run a task; a task failing this can never run anywhere (it
     * belongs on the dead-letter topic).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void validate(SimulationTask task) {
        if (task.getCampaignId().isEmpty()) {
            throw new IllegalArgumentException("simulation task without campaign_id");
        }
        if (!task.hasSpec()) {
            throw new IllegalArgumentException("simulation task of campaign " + task.getCampaignId() + " without spec");
        }
        int count = task.getSpec().getCount();
        if (task.getSimIndex() < 0 || task.getSimIndex() >= count) {
            throw new IllegalArgumentException("simulation task of campaign " + task.getCampaignId() + ": sim_index "
                    + task.getSimIndex() + " outside [0, " + count + ")");
        }
    }

    /**
     * Simulates the task's index, publishes its chunks and waits for their acknowledgement. Failures of
     * the simulation or of the publication come back as an event with {@code ok=false} (the campaign
     * fails, as a local run would).
     *
     * @param worker the name of this replica, reported in the event
     * @throws IllegalArgumentException for a malformed task (see {@link #validate})
     * @throws InterruptedException     when shutting down: no outcome, the task must be redone elsewhere
     */
    public SimulationEvent execute(SimulationTask task, String worker) throws InterruptedException {
        validate(task);
        String campaignId = task.getCampaignId();
        int index = task.getSimIndex();
        String simulationId = TraceSimulator.simulationId(campaignId, index);
        SimulationEvent.Builder event = SimulationEvent.newBuilder()
                .setCampaignId(campaignId).setSimIndex(index).setWorker(worker);
        if (campaignStopped.test(campaignId)) {
            return event.setOk(false).setError(SKIPPED + ": campaign " + campaignId + " has stopped").build();
        }
        CampaignPlan plan;
        try {
            plan = plan(campaignId, task.getSpec());
        } catch (RuntimeException e) {
            // E.g. a model or engine this replica does not offer: the campaign fails with the reason.
            return event.setOk(false).setError("simulation " + simulationId + " cannot run on " + worker + ": "
                    + CampaignRunner.describe(e)).build();
        }
        try {
            long seed = SimulationSeeds.forSimulation(plan.seed(), index);
            SimulatedTrace result = TraceSimulator.simulate(plan.engine(), plan.generator(), campaignId,
                    simulationId, index, seed, plan.durationMs());
            List<TraceChunk> chunks = result.trace().toChunks(plan.chunkMs());
            traces.publish(simulationId, chunks).get();
            return event.setOk(true).setSimulatedMs(plan.durationMs()).setEngineNanos(result.engineNanos())
                    .setChunks(chunks.size()).build();
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "simulation %s was not published", simulationId);
            return event.setOk(false).setError("simulation " + simulationId + " was not published by " + worker + ": "
                    + CampaignRunner.describe(e.getCause())).build();
        } catch (RuntimeException e) {
            LOG.errorf(e, "simulation %s failed", simulationId);
            return event.setOk(false).setError("simulation " + simulationId + " failed on " + worker + ": "
                    + CampaignRunner.describe(e)).build();
        }
    }

    /** True for the event of a task skipped because its campaign had stopped (not a failure of its own). */
    public static boolean isSkipped(SimulationEvent event) {
        return !event.getOk() && event.getError().startsWith(SKIPPED + ":");
    }

    private CampaignPlan plan(String campaignId, CampaignSpec spec) {
        synchronized (plans) {
            CampaignPlan cached = plans.get(campaignId);
            if (cached != null && cached.effectiveSpec().equals(spec)) {
                return cached;
            }
        }
        // workers is the owner's pool size, meaningless here (and maybe above this replica's max-workers).
        CampaignPlan plan = planner.plan(spec.toBuilder().clearWorkers().build());
        CampaignPlan keyed = new CampaignPlan(spec, plan.engine(), plan.generator(), plan.count(), plan.durationMs(),
                plan.chunkMs(), plan.workers(), plan.seed());
        synchronized (plans) {
            plans.put(campaignId, keyed);
        }
        return keyed;
    }
}

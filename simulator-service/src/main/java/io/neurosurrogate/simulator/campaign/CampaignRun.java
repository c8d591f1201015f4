package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.opentelemetry.context.Context;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live status of one campaign. Every change bumps a version and is announced to the
 * {@link CampaignListener}s outside the lock, with the snapshot taken at that version, so a listener
 * can drop snapshots that arrive out of order.
 */
public final class CampaignRun {
    private final String campaignId;
    private final CampaignSpec spec;
    private final long createdAtMs;
    /** The trace context of the call that started the campaign: current wherever the campaign's work is done. */
    private final Context traceContext;
    private final List<CampaignListener> listeners = new CopyOnWriteArrayList<>();

    private CampaignState state = CampaignState.CAMPAIGN_STATE_PENDING;
    private int completed;
    private int failed;
    private String error = "";
    private long finishedAtMs;
    private double simulatedMs;
    private long engineNanos;
    private long chunksPublished;
    private long version;
    /** Distributed mode: the simulation indices whose outcome has been counted (each exactly once). */
    private final BitSet reported = new BitSet();
    private int reportedCount;

    public CampaignRun(String campaignId, CampaignSpec spec, long createdAtMs) {
        this(campaignId, spec, createdAtMs, Context.root());
    }

    /** @param traceContext the trace context of the call that started the campaign (its chunks carry it) */
    public CampaignRun(String campaignId, CampaignSpec spec, long createdAtMs, Context traceContext) {
        this.campaignId = campaignId;
        this.spec = spec;
        this.createdAtMs = createdAtMs;
        this.traceContext = traceContext;
    }

    /** The trace context of the call that started the campaign (root when there was none). */
    public Context traceContext() {
        return traceContext;
    }

    public String campaignId() {
        return campaignId;
    }

    public void addListener(CampaignListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CampaignListener listener) {
        listeners.remove(listener);
    }

    public void markRunning() {
        VersionedCampaign change;
        synchronized (this) {
            if (state != CampaignState.CAMPAIGN_STATE_PENDING) {
                return;
            }
            state = CampaignState.CAMPAIGN_STATE_RUNNING;
            change = versioned();
        }
        announce(change);
    }

    /** A simulation is published and acknowledged. */
    public void simulationCompleted(int durationMs, long simEngineNanos, int chunks) {
        VersionedCampaign change;
        synchronized (this) {
            completed++;
            simulatedMs += durationMs;
            engineNanos += simEngineNanos;
            chunksPublished += chunks;
            change = versioned();
        }
        announce(change);
    }

    /** A simulation failed: the campaign is FAILED with the first error; later errors only count. */
    public void simulationFailed(String message) {
        VersionedCampaign change;
        synchronized (this) {
            failed++;
            if (error.isEmpty()) {
                error = message;
            }
            if (!isTerminal(state)) {
                state = CampaignState.CAMPAIGN_STATE_FAILED;
                finishedAtMs = System.currentTimeMillis();
            }
            change = versioned();
        }
        announce(change);
    }

    /**
     * Distributed mode: claims the outcome of simulation {@code index} for counting. False when the index
     * was already reported (a task redone after a replica died sends a second event) or is outside
     * [0, count): the caller must then ignore the event, so every simulation counts once.
     */
    public synchronized boolean markReported(int index) {
        if (index < 0 || index >= spec.getCount() || reported.get(index)) {
            return false;
        }
        reported.set(index);
        reportedCount++;
        return true;
    }

    /** Distributed mode: how many distinct simulation indices have reported an outcome. */
    public synchronized int reportedCount() {
        return reportedCount;
    }

    /** No more simulations will run: SUCCEEDED unless already FAILED or CANCELLED. */
    public void finish() {
        end(CampaignState.CAMPAIGN_STATE_SUCCEEDED, "");
    }

    public void cancel(String reason) {
        end(CampaignState.CAMPAIGN_STATE_CANCELLED, reason);
    }

    private void end(CampaignState terminal, String reason) {
        VersionedCampaign change;
        synchronized (this) {
            if (isTerminal(state)) {
                return;
            }
            state = terminal;
            if (error.isEmpty()) {
                error = reason;
            }
            finishedAtMs = System.currentTimeMillis();
            change = versioned();
        }
        announce(change);
    }

    /** True once FAILED or CANCELLED: workers stop picking up new simulations. */
    public synchronized boolean isStopped() {
        return state == CampaignState.CAMPAIGN_STATE_FAILED || state == CampaignState.CAMPAIGN_STATE_CANCELLED;
    }

    public synchronized boolean isTerminal() {
        return isTerminal(state);
    }

    public synchronized Campaign snapshot() {
        return build();
    }

    public synchronized VersionedCampaign versionedSnapshot() {
        return versioned();
    }

    public static boolean isTerminal(CampaignState state) {
        return state == CampaignState.CAMPAIGN_STATE_SUCCEEDED || state == CampaignState.CAMPAIGN_STATE_FAILED
                || state == CampaignState.CAMPAIGN_STATE_CANCELLED;
    }

    private VersionedCampaign versioned() {
        return new VersionedCampaign(++version, build());
    }

    private Campaign build() {
        double engineSeconds = engineNanos / 1.0e9;
        return Campaign.newBuilder()
                .setCampaignId(campaignId)
                .setSpec(spec)
                .setState(state)
                .setCompleted(completed)
                .setFailed(failed)
                .setError(error)
                .setCreatedAtMs(createdAtMs)
                .setFinishedAtMs(finishedAtMs)
                .setSimulatedMs(simulatedMs)
                .setEngineSeconds(engineSeconds)
                .setSimMsPerS(engineSeconds > 0 ? simulatedMs / engineSeconds : 0.0)
                .setChunksPublished(chunksPublished)
                .build();
    }

    private void announce(VersionedCampaign change) {
        for (CampaignListener l : listeners) {
            try {
                l.onChange(change);
            } catch (RuntimeException e) {
                // A broken watcher must not fail a simulation; it simply stops hearing about changes.
                listeners.remove(l);
            }
        }
    }
}

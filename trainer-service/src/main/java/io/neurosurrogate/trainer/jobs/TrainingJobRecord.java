package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.store.JobStore;
import io.opentelemetry.context.Context;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One job: its spec and the full history of its progress, kept in memory so that a watcher that
 * joins late sees everything, and (when it has a {@link JobStore}) on disk, so that a restarted
 * trainer knows it too. Appending and subscribing share one monitor, so a subscriber gets the
 * replay and then every later update exactly once, in order, and the log on disk has the same order.
 */
public final class TrainingJobRecord {
    private static final Logger LOG = Logger.getLogger(TrainingJobRecord.class);

    private final String jobId;
    private final TrainingJobSpec spec;
    private final long submitOrder;
    /** Where updates are made durable; null for a job kept in memory only. */
    private final JobStore store;
    private final List<TrainingProgress> history = new ArrayList<>();
    private final List<ProgressSubscriber> subscribers = new ArrayList<>();
    private volatile boolean cancelRequested;
    /** The trace of the StartTraining call (root for a job restored after a restart): its model event carries it. */
    private volatile Context traceContext = Context.root();

    /** A job kept in memory only. */
    TrainingJobRecord(String jobId, TrainingJobSpec spec) {
        this(jobId, spec, 0, null);
    }

    /** A new job whose updates go to {@code store} (null: memory only) as well. */
    TrainingJobRecord(String jobId, TrainingJobSpec spec, long submitOrder, JobStore store) {
        this.jobId = jobId;
        this.spec = spec;
        this.submitOrder = submitOrder;
        this.store = store;
    }

    /** A job read back from {@code store} after a restart, with its history as it was stored. */
    static TrainingJobRecord restored(JobStore.StoredJob stored, JobStore store) {
        TrainingJobRecord job = new TrainingJobRecord(stored.jobId(), stored.spec(), stored.submitOrder(), store);
        job.history.addAll(stored.history());
        return job;
    }

    /** The trace context the job runs in: that of the call that submitted it, root after a restart. */
    public Context traceContext() {
        return traceContext;
    }

    void continueTraceOf(Context submitter) {
        this.traceContext = submitter;
    }

    public String jobId() {
        return jobId;
    }

    public TrainingJobSpec spec() {
        return spec;
    }

    /** The job's place in the order of submission (larger = submitted later), also across restarts. */
    public long submitOrder() {
        return submitOrder;
    }

    /** Asks the runner to stop the job at its next check; it then ends CANCELLED. */
    void requestCancel() {
        cancelRequested = true;
    }

    /** Whether someone asked to cancel this job. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** Whether the job has reached SUCCEEDED, FAILED or CANCELLED. */
    public synchronized boolean ended() {
        return !history.isEmpty() && isFinal(latestLocked().getState());
    }

    public static boolean isFinal(JobState state) {
        return state == JobState.JOB_STATE_SUCCEEDED || state == JobState.JOB_STATE_FAILED || state == JobState.JOB_STATE_CANCELLED;
    }

    /**
     * Records an update (job id and timestamp filled in), makes it durable and passes it to every
     * subscriber. Ignored once final. When the disk fails the update is logged and still recorded in
     * memory: the job goes on, only a restart would not know this update.
     */
    synchronized void append(TrainingProgress progress) {
        record(progress, true);
    }

    /**
     * Records an update in memory only: what watchers of this process should see but a restarted
     * trainer must not (a job stopped by shutdown ends CANCELLED here and resumes after the restart).
     */
    synchronized void appendTransient(TrainingProgress progress) {
        record(progress, false);
    }

    private void record(TrainingProgress progress, boolean durable) {
        if (!history.isEmpty() && isFinal(latestLocked().getState())) {
            LOG.warnf("job %s already ended; dropping update %s", jobId, progress.getState());
            return;
        }
        TrainingProgress.Builder b = progress.toBuilder().setJobId(jobId);
        if (b.getTimestampMs() == 0) {
            b.setTimestampMs(System.currentTimeMillis());
        }
        TrainingProgress p = b.build();
        if (durable && store != null) {
            try {
                store.append(jobId, p);
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "job %s: could not make update %s durable; a restart would not know it", jobId, p.getState());
            }
        }
        history.add(p);
        for (ProgressSubscriber s : List.copyOf(subscribers)) {
            deliver(s, p);
        }
        if (isFinal(p.getState())) {
            subscribers.clear();
        }
    }

    /**
     * Replays the history to {@code subscriber}, then keeps it informed until the job ends or
     * {@link #unsubscribe} is called. A job that has already ended only replays.
     */
    public synchronized void subscribe(ProgressSubscriber subscriber) {
        for (TrainingProgress p : history) {
            if (!deliver(subscriber, p)) {
                return;
            }
        }
        if (history.isEmpty() || !isFinal(latestLocked().getState())) {
            subscribers.add(subscriber);
        }
    }

    public synchronized void unsubscribe(ProgressSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Subscribers currently following the job (watch streams that are still open). */
    public synchronized int watchers() {
        return subscribers.size();
    }

    public synchronized TrainingProgress latest() {
        return latestLocked();
    }

    public synchronized List<TrainingProgress> history() {
        return List.copyOf(history);
    }

    public synchronized TrainingJob toProto() {
        return TrainingJob.newBuilder().setJobId(jobId).setSpec(spec).setLatest(latestLocked()).build();
    }

    private TrainingProgress latestLocked() {
        return history.isEmpty() ? TrainingProgress.newBuilder().setJobId(jobId).build() : history.get(history.size() - 1);
    }

    private boolean deliver(ProgressSubscriber s, TrainingProgress p) {
        try {
            s.onProgress(p);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf(e, "dropping a subscriber of job %s", jobId);
            subscribers.remove(s);
            return false;
        }
    }
}

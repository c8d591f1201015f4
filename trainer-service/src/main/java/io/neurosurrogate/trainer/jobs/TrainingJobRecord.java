package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * One job: its spec and the full history of its progress, kept in memory so that a watcher that
 * joins late sees everything. Appending and subscribing share one monitor, so a subscriber gets the
 * replay and then every later update exactly once, in order.
 */
public final class TrainingJobRecord {
    private static final Logger LOG = Logger.getLogger(TrainingJobRecord.class);

    private final String jobId;
    private final TrainingJobSpec spec;
    private final List<TrainingProgress> history = new ArrayList<>();
    private final List<ProgressSubscriber> subscribers = new ArrayList<>();

    TrainingJobRecord(String jobId, TrainingJobSpec spec) {
        this.jobId = jobId;
        this.spec = spec;
    }

    public String jobId() {
        return jobId;
    }

    public TrainingJobSpec spec() {
        return spec;
    }

    public static boolean isFinal(JobState state) {
        return state == JobState.JOB_STATE_SUCCEEDED || state == JobState.JOB_STATE_FAILED || state == JobState.JOB_STATE_CANCELLED;
    }

    /** Records an update (job id and timestamp filled in) and passes it to every subscriber. Ignored once final. */
    synchronized void append(TrainingProgress progress) {
        if (!history.isEmpty() && isFinal(latestLocked().getState())) {
            LOG.warnf("job %s already ended; dropping update %s", jobId, progress.getState());
            return;
        }
        TrainingProgress.Builder b = progress.toBuilder().setJobId(jobId);
        if (b.getTimestampMs() == 0) {
            b.setTimestampMs(System.currentTimeMillis());
        }
        TrainingProgress p = b.build();
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

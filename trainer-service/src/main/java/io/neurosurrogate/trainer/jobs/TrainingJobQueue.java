package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.store.JobStore;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts training jobs into a bounded FIFO queue and runs them one at a time on a single worker
 * thread (training uses every core; two at once would only halve each). A full queue rejects new
 * jobs with RESOURCE_EXHAUSTED. Every job is kept in the {@link JobStore}: a restarted trainer lists
 * the ended jobs again and queues the unfinished ones in their original order, and the runner resumes
 * each from its last checkpoint. Shutdown stops the running job without ending it on disk, so it
 * resumes too; only a cancel by request ends a job CANCELLED for good.
 */
@Singleton
public class TrainingJobQueue {
    private static final Logger LOG = Logger.getLogger(TrainingJobQueue.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String RESUMING = "resuming after a trainer restart";
    static final String CANCELLED_BY_REQUEST = "cancelled by request";

    private final TrainingJobRunner runner;
    private final JobStore store;
    private final int maxQueued;
    private final Duration shutdownWait;
    /** Guards {@link #queue}, {@link #running} and {@link #stopping} changes; the worker waits on it. */
    private final Object lock = new Object();
    private final ArrayDeque<TrainingJobRecord> queue = new ArrayDeque<>();
    private final Map<String, TrainingJobRecord> jobs = new ConcurrentHashMap<>();
    private TrainingJobRecord running;
    private volatile boolean stopping;
    private Thread worker;

    /** Reads the stored jobs back: ended ones are listed, unfinished ones queued again in submission order. */
    public TrainingJobQueue(TrainingJobRunner runner, JobStore store,
                            @ConfigProperty(name = "ns.trainer.max-queued-jobs") int maxQueued,
                            @ConfigProperty(name = "ns.trainer.shutdown-wait", defaultValue = "10s") Duration shutdownWait) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("ns.trainer.max-queued-jobs must be >= 1, got " + maxQueued);
        }
        this.runner = runner;
        this.store = store;
        this.maxQueued = maxQueued;
        this.shutdownWait = shutdownWait;
        restore();
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stop();
    }

    /** Starts the worker thread. */
    public void start() {
        synchronized (lock) {
            if (worker != null) {
                return;
            }
            worker = new Thread(this::work, "ns-training-worker");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /**
     * Stops the worker: the running job stops at its next cancellation check (within {@code
     * ns.trainer.shutdown-wait}, or the process exits with it still running); it and the queued jobs
     * stay unfinished on disk and resume after a restart.
     */
    public void stop() throws InterruptedException {
        Thread w;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            w = worker;
        }
        if (w != null) {
            w.join(shutdownWait.toMillis());
            if (w.isAlive()) {
                LOG.warnf("the running training job did not stop within %s; it resumes from its last checkpoint after a restart", shutdownWait);
            }
        }
    }

    /**
     * Validates, stores and queues a job.
     *
     * @throws DomainException INVALID_ARGUMENT for a bad spec, RESOURCE_EXHAUSTED when the queue is
     *                         full, UNAVAILABLE when the trainer is shutting down or cannot store the job
     */
    public TrainingJobRecord submit(TrainingJobSpec spec) {
        TrainingJobSpecValidator.validate(spec);
        synchronized (lock) {
            if (stopping) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "the trainer is shutting down; submit the job again after it restarts");
            }
            if (queue.size() >= maxQueued) {
                throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED,
                        "training queue is full (" + maxQueued + " jobs waiting); retry later");
            }
            String jobId = newJobId();
            long order;
            try {
                order = store.create(jobId, spec);
            } catch (IOException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "cannot store the training job: " + e.getMessage(), e);
            }
            TrainingJobRecord job = new TrainingJobRecord(jobId, spec, order, store);
            job.continueTraceOf(Context.current());
            job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_QUEUED).setMessage("queued").build());
            jobs.put(jobId, job);
            queue.addLast(job);
            lock.notifyAll();
            LOG.infof("job %s queued: model %s on %s", jobId, spec.getModelName(), spec.getNeuronModel());
            return job;
        }
    }

    /** @throws DomainException NOT_FOUND for an unknown job id */
    public TrainingJobRecord get(String jobId) {
        TrainingJobRecord job = jobs.get(jobId);
        if (job == null) {
            throw DomainException.notFound("no training job '" + jobId + "'");
        }
        return job;
    }

    /** Every job this trainer knows, the most recently submitted first. */
    public List<TrainingJobRecord> list() {
        List<TrainingJobRecord> out = new ArrayList<>(jobs.values());
        out.sort(Comparator.comparingLong(TrainingJobRecord::submitOrder).reversed().thenComparing(TrainingJobRecord::jobId));
        return out;
    }

    /**
     * Cancels a job: a queued one leaves the queue and ends CANCELLED at once; the running one is asked
     * to stop and ends CANCELLED at its next check (between batches, or while waiting for data), unless
     * it finishes first. An ended job is returned unchanged.
     *
     * @throws DomainException NOT_FOUND for an unknown job id
     */
    public TrainingJobRecord cancel(String jobId) {
        TrainingJobRecord job = get(jobId);
        boolean wasQueued;
        synchronized (lock) {
            wasQueued = queue.remove(job);
            if (!wasQueued && job == running) {
                job.requestCancel();
                LOG.infof("job %s: cancel requested while it runs", jobId);
            }
        }
        if (wasQueued) {
            job.requestCancel();
            runner.deleteWorkDir(job);  // a job queued again after a restart may have checkpoints
            job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_CANCELLED).setMessage("cancelled")
                    .setError(CANCELLED_BY_REQUEST).build());
            LOG.infof("job %s cancelled while queued", jobId);
        }
        return job;
    }

    private void restore() {
        List<JobStore.StoredJob> stored;
        try {
            stored = store.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the training jobs in " + store.root(), e);
        }
        int resumed = 0;
        synchronized (lock) {
            for (JobStore.StoredJob s : stored) {
                TrainingJobRecord job = TrainingJobRecord.restored(s, store);
                jobs.put(job.jobId(), job);
                if (!job.ended()) {
                    // Restored jobs may exceed max-queued-jobs by the one that was running: they were all accepted.
                    job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_QUEUED).setMessage(RESUMING).build());
                    queue.addLast(job);
                    resumed++;
                }
            }
        }
        if (!stored.isEmpty()) {
            LOG.infof("job store %s: %d jobs, %d of them queued again to resume", store.root(), stored.size(), resumed);
        }
    }

    private void work() {
        while (true) {
            TrainingJobRecord job;
            synchronized (lock) {
                while (!stopping && queue.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
                job = queue.pollFirst();
                running = job;
            }
            try {
                try (Scope ignored = job.traceContext().makeCurrent()) {
                    runner.run(job, () -> stopping);
                }
            } catch (Throwable t) {
                // The runner ends jobs itself; this is the last line of defence for the worker thread.
                LOG.errorf(t, "job %s crashed the runner", job.jobId());
                TrainingProgress failed = TrainingProgress.newBuilder().setState(JobState.JOB_STATE_FAILED).setError(String.valueOf(t)).build();
                if (stopping) {
                    job.appendTransient(failed);
                } else {
                    job.append(failed);
                }
            } finally {
                synchronized (lock) {
                    running = null;
                }
            }
        }
    }

    private static String newJobId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "j-" + HexFormat.of().formatHex(b);
    }
}

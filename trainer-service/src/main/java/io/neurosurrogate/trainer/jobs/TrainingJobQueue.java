package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts training jobs into a bounded FIFO queue and runs them one at a time on a single worker
 * thread (training uses every core; two at once would only halve each). A full queue rejects new
 * jobs with RESOURCE_EXHAUSTED. All jobs stay known, with their history, for the life of the process.
 */
@Singleton
public class TrainingJobQueue {
    private static final Logger LOG = Logger.getLogger(TrainingJobQueue.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TrainingJobRunner runner;
    private final int maxQueued;
    private final BlockingQueue<TrainingJobRecord> queue;
    private final Map<String, TrainingJobRecord> jobs = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private Thread worker;

    public TrainingJobQueue(TrainingJobRunner runner, @ConfigProperty(name = "ns.trainer.max-queued-jobs") int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("ns.trainer.max-queued-jobs must be >= 1, got " + maxQueued);
        }
        this.runner = runner;
        this.maxQueued = maxQueued;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
    }

    void start(@Observes StartupEvent event) {
        worker = new Thread(this::work, "ns-training-worker");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
    }

    /**
     * Validates and queues a job.
     *
     * @throws DomainException INVALID_ARGUMENT for a bad spec, RESOURCE_EXHAUSTED when the queue is full
     */
    public TrainingJobRecord submit(TrainingJobSpec spec) {
        TrainingJobSpecValidator.validate(spec);
        TrainingJobRecord job = new TrainingJobRecord(newJobId(), spec);
        job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_QUEUED).setMessage("queued").build());
        jobs.put(job.jobId(), job);
        if (!queue.offer(job)) {
            jobs.remove(job.jobId());
            throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED,
                    "training queue is full (" + maxQueued + " jobs waiting); retry later");
        }
        LOG.infof("job %s queued: model %s on %s", job.jobId(), spec.getModelName(), spec.getNeuronModel());
        return job;
    }

    /** @throws DomainException NOT_FOUND for an unknown job id */
    public TrainingJobRecord get(String jobId) {
        TrainingJobRecord job = jobs.get(jobId);
        if (job == null) {
            throw DomainException.notFound("no training job '" + jobId + "'");
        }
        return job;
    }

    private void work() {
        while (!stopping) {
            TrainingJobRecord job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                runner.run(job, () -> stopping);
            } catch (Throwable t) {
                // The runner ends jobs itself; this is the last line of defence for the worker thread.
                LOG.errorf(t, "job %s crashed the runner", job.jobId());
                job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_FAILED).setError(String.valueOf(t)).build());
            }
            Thread.interrupted();
        }
        for (TrainingJobRecord left; (left = queue.poll()) != null; ) {
            left.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_CANCELLED).setError("cancelled: the trainer shut down").build());
        }
    }

    private static String newJobId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "j-" + HexFormat.of().formatHex(b);
    }
}

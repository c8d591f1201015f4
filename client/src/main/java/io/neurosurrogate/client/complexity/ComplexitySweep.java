package io.neurosurrogate.client.complexity;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs a {@link ComplexityGrid} as training jobs through the gateway: one job per grid point, all on
 * the same dataset, seed and training config, and follows every job until it ends.
 *
 * <p>Jobs are submitted in grid order; a full training queue (RESOURCE_EXHAUSTED) is waited out with
 * growing pauses while the jobs already accepted keep reporting. A job that fails, is cancelled, or
 * cannot be followed any more becomes a failed cell; the others carry on. {@link #stop} (Ctrl-C)
 * cancels what is still running and keeps every result that arrived.
 */
public final class ComplexitySweep {
    /** How often a broken progress stream (gateway restart, network) is re-opened before giving up on a job. */
    private static final int WATCH_RETRIES = 5;
    /**
     * How often an unreachable gateway is retried, in a row and across grid points, before submissions
     * count as failed (after that each remaining point is tried once).
     */
    private static final int SUBMIT_UNAVAILABLE_RETRIES = 5;
    private static final Duration CANCEL_DEADLINE = Duration.ofSeconds(5);
    private static final Duration SUBMIT_DEADLINE = Duration.ofSeconds(60);

    private final NeuroSurrogateClient client;
    private final ComplexityGrid grid;
    private final TrainingJobSpec template;
    private final Consumer<String> listener;
    private final Map<ComplexityGrid.Point, CellOutcome> cells = new ConcurrentHashMap<>();
    private final Map<ComplexityGrid.Point, Set<String>> reported = new ConcurrentHashMap<>();
    private final ReentrantLock submitting = new ReentrantLock();
    private volatile boolean stopped;
    private int unavailableStreak;
    private Duration firstRetry = Duration.ofSeconds(2);
    private Duration maxRetry = Duration.ofSeconds(30);

    /**
     * @param template dataset (campaign, minimum simulations) and training config shared by every job;
     *                 its model name, neuron model and architecture are set per grid point
     * @param listener receives one line per job state change, e.g. {@code [3/20] d2-w32 epoch 4/30 val AUC 0.973}
     */
    public ComplexitySweep(NeuroSurrogateClient client, ComplexityGrid grid, TrainingJobSpec template,
                           Consumer<String> listener) {
        this.client = client;
        this.grid = grid;
        this.template = template;
        this.listener = listener;
        for (ComplexityGrid.Point p : grid.points()) {
            cells.put(p, CellOutcome.pending(p, grid.modelName(p)));
        }
    }

    /** Pauses between submissions to a full queue: {@code first}, doubling up to {@code max}. */
    public ComplexitySweep retryDelays(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry delays need 0 < first <= max, got " + first + ", " + max);
        }
        this.firstRetry = first;
        this.maxRetry = max;
        return this;
    }

    /** The job spec of one grid point. */
    public TrainingJobSpec spec(ComplexityGrid.Point p) {
        return template.toBuilder().setModelName(grid.modelName(p)).setNeuronModel(grid.neuron())
                .setArchitecture(grid.architecture(p)).build();
    }

    /** Submits every grid point and waits until every accepted job has ended. */
    public ComplexityReport run() throws InterruptedException {
        List<ComplexityGrid.Point> points = grid.points();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService watchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ns-complexity-watch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> watching = new ArrayList<>();
            for (int i = 0; i < points.size() && !stopped; i++) {
                ComplexityGrid.Point p = points.get(i);
                String label = "[" + (i + 1) + "/" + points.size() + "] " + p.label();
                TrainingJob job = submit(p, label);
                if (job != null) {
                    watching.add(watchers.submit(() -> watch(p, job.getJobId(), label)));
                }
            }
            for (Future<?> f : watching) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // watch() records its own failures; whatever escaped it must not cost the other results
                    listener.accept("watching a training job failed: " + e.getCause());
                }
            }
        } finally {
            watchers.shutdownNow();
        }
        return snapshot();
    }

    /** The outcome so far; safe to call from any thread while the sweep runs. */
    public ComplexityReport snapshot() {
        return new ComplexityReport(grid, Map.copyOf(cells));
    }

    /**
     * Stops submitting, cancels every job still queued or running (best effort, a few seconds per
     * job) and returns what is known. Results that already arrived stay.
     */
    public ComplexityReport stop() {
        stopped = true;
        // let a submission in flight land, so that its job is cancelled too
        try {
            if (submitting.tryLock(CANCEL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                submitting.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CellOutcome c : List.copyOf(cells.values())) {
            if (c.status() != CellOutcome.Status.RUNNING) {
                continue;
            }
            String why;
            try {
                client.stub().withDeadlineAfter(CANCEL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .cancelTraining(GetTrainingJobRequest.newBuilder().setJobId(c.jobId()).build());
                why = "sweep interrupted; job cancelled";
            } catch (StatusRuntimeException e) {
                why = "sweep interrupted; cancelling failed (" + describe(e) + "), the job may still run";
            }
            CellOutcome cancelled = CellOutcome.cancelled(c.point(), c.modelName(), c.jobId(), why);
            // a job that ended meanwhile keeps its real outcome
            cells.computeIfPresent(c.point(), (p, now) -> now.status().isFinal() ? now : cancelled);
        }
        return snapshot();
    }

    private TrainingJob submit(ComplexityGrid.Point p, String label) throws InterruptedException {
        TrainingJobSpec spec = spec(p);
        Duration delay = firstRetry;
        boolean toldFull = false;
        while (!stopped) {
            submitting.lock();
            try {
                if (stopped) {
                    return null;
                }
                TrainingJob job = client.stub().withDeadlineAfter(SUBMIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).startTraining(spec);
                cells.put(p, CellOutcome.running(p, spec.getModelName(), job.getJobId()));
                unavailableStreak = 0;
                return job;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean retry = code == Status.Code.RESOURCE_EXHAUSTED
                        || code == Status.Code.UNAVAILABLE && ++unavailableStreak <= SUBMIT_UNAVAILABLE_RETRIES;
                if (!retry) {
                    cells.put(p, CellOutcome.failed(p, spec.getModelName(), "", "not submitted: " + describe(e)));
                    listener.accept(label + " failed: not submitted: " + describe(e));
                    return null;
                }
                if (code == Status.Code.RESOURCE_EXHAUSTED && !toldFull) {
                    listener.accept(label + " training queue full; waiting for room (" + describe(e) + ")");
                    toldFull = true;
                } else if (code == Status.Code.UNAVAILABLE) {
                    listener.accept(String.format(Locale.ROOT, "%s gateway unavailable (%s); retrying in %.1f s", label, describe(e),
                            delay.toMillis() / 1000.0));
                }
            } finally {
                submitting.unlock();
            }
            Thread.sleep(delay.toMillis());
            delay = delay.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : delay.multipliedBy(2);
        }
        return null;
    }

    private void watch(ComplexityGrid.Point p, String jobId, String label) {
        String model = grid.modelName(p);
        int broken = 0;
        while (true) {
            try {
                TrainingProgress last = client.awaitTraining(jobId, x -> report(p, label, x));
                record(p, model, jobId, label, last);
                return;
            } catch (StatusRuntimeException e) {
                if (stopped) {
                    return;
                }
                if (++broken > WATCH_RETRIES || e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    record(p, CellOutcome.failed(p, model, jobId, "lost track of the job: " + describe(e)), label);
                    return;
                }
                try {
                    Thread.sleep(firstRetry.multipliedBy(broken).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (RuntimeException e) {
                record(p, CellOutcome.failed(p, model, jobId, "lost track of the job: " + e), label);
                return;
            }
        }
    }

    private void record(ComplexityGrid.Point p, String model, String jobId, String label, TrainingProgress last) {
        JobState s = last.getState();
        if (s == JobState.JOB_STATE_SUCCEEDED) {
            ModelVersion v = last.getModel();
            var card = v.getCard();
            record(p, CellOutcome.succeeded(p, v.getModelName().isEmpty() ? model : v.getModelName(), jobId, v.getVersion(),
                    card.getMetrics().getSpikeAuc(), card.getParameters()), label);
        } else if (s == JobState.JOB_STATE_CANCELLED) {
            record(p, CellOutcome.cancelled(p, model, jobId, last.getError().isEmpty() ? "cancelled" : last.getError()), label);
        } else if (s == JobState.JOB_STATE_FAILED) {
            record(p, CellOutcome.failed(p, model, jobId, last.getError().isEmpty() ? "failed" : last.getError()), label);
        } else {
            record(p, CellOutcome.failed(p, model, jobId, "progress stream ended in state " + stateName(s)), label);
        }
    }

    private void record(ComplexityGrid.Point p, CellOutcome outcome, String label) {
        cells.put(p, outcome);
        switch (outcome.status()) {
            case SUCCEEDED -> listener.accept(String.format(Locale.ROOT, "%s succeeded: test AUC %.4f%s, %s parameters (%s v%d)",
                    label, outcome.testAuc(), outcome.reaches(grid.targetAuc()) ? " (reaches " + ComplexityReport.plain(grid.targetAuc()) + ")" : "",
                    ComplexityReport.compact(outcome.parameters()), outcome.modelName(), outcome.version()));
            case CANCELLED -> listener.accept(label + " cancelled: " + outcome.error());
            default -> listener.accept(label + " failed: " + outcome.error());
        }
    }

    /** One line per new state or epoch; a stream replayed after a reconnect repeats nothing. */
    private void report(ComplexityGrid.Point p, String label, TrainingProgress x) {
        if (NeuroSurrogateClient.isFinal(x.getState())) {
            return; // record() says how it ended
        }
        boolean training = x.getState() == JobState.JOB_STATE_TRAINING && x.getEpoch() > 0;
        String key = x.getState() + "/" + (training ? x.getEpoch() : 0);
        if (!reported.computeIfAbsent(p, k -> ConcurrentHashMap.newKeySet()).add(key)) {
            return;
        }
        String line;
        if (training) {
            line = String.format(Locale.ROOT, "%s epoch %d/%d val AUC %.3f", label, x.getEpoch(), x.getEpochs(), x.getValAuc());
        } else {
            String state = stateName(x.getState());
            boolean news = !x.getMessage().isEmpty() && !x.getMessage().equalsIgnoreCase(state);
            line = label + " " + state + (news ? ": " + x.getMessage() : "");
        }
        listener.accept(line);
    }

    private static String stateName(JobState s) {
        return s.name().replace("JOB_STATE_", "").replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    private static String describe(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        return e.getStatus().getCode() + (d == null ? "" : ": " + d);
    }
}

package io.neurosurrogate.client.complexity;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A gateway over real gRPC (Netty, localhost) whose trainer behaves like the real one at its edges:
 * a bounded FIFO queue that rejects with RESOURCE_EXHAUSTED, one job at a time, progress replayed on
 * every watch. What a job does is up to the test: {@code outcome} maps a spec to a test AUC, or to
 * null for a job that fails, or to NaN for one that runs until it is cancelled.
 */
final class FakeTrainingGateway extends NeuroSurrogateGrpc.NeuroSurrogateImplBase implements AutoCloseable {
    static final int EPOCHS = 3;

    final List<TrainingJobSpec> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger rejectedFull = new AtomicInteger();
    final Set<String> cancelRequests = ConcurrentHashMap.newKeySet();
    /** Model names whose first watch breaks with UNAVAILABLE after the replay. */
    final Set<String> breakFirstWatch = ConcurrentHashMap.newKeySet();

    private final Function<TrainingJobSpec, Double> outcome;
    private final BlockingQueue<Job> queue;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final long epochMs;
    private final Thread trainer;
    private final Server server;

    private static final class Job {
        final String id;
        final TrainingJobSpec spec;
        final List<TrainingProgress> history = new ArrayList<>();
        boolean cancelled;

        Job(String id, TrainingJobSpec spec) {
            this.id = id;
            this.spec = spec;
        }

        synchronized void append(TrainingProgress.Builder p) {
            history.add(p.setJobId(id).build());
            notifyAll();
        }

        /** The trainer's own reports stop once the job was cancelled. */
        synchronized boolean appendUnlessCancelled(TrainingProgress.Builder p) {
            if (cancelled) {
                return false;
            }
            append(p);
            return true;
        }

        synchronized TrainingProgress latest() {
            return history.get(history.size() - 1);
        }

        synchronized boolean done() {
            return !history.isEmpty() && io.neurosurrogate.client.NeuroSurrogateClient.isFinal(latest().getState());
        }
    }

    FakeTrainingGateway(int queueCapacity, long epochMs, Function<TrainingJobSpec, Double> outcome) throws IOException {
        this.outcome = outcome;
        this.epochMs = epochMs;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.trainer = new Thread(this::train, "fake-trainer");
        trainer.setDaemon(true);
        trainer.start();
        this.server = NettyServerBuilder.forPort(0).addService(this).build().start();
    }

    String address() {
        return "localhost:" + server.getPort();
    }

    /** The parameter count the fake reports: depends on the layers, like the real one. */
    static long parameters(TrainingJobSpec spec) {
        long n = 0;
        for (var l : spec.getArchitecture().getLayersList()) {
            n += (long) l.getFilters() * l.getKernelMs() + 2L * l.getFilters();
        }
        return n;
    }

    private void train() {
        try {
            while (true) {
                Job job = queue.take();
                Double auc = outcome.apply(job.spec);
                boolean running = true;
                for (int e = 1; e <= EPOCHS && running; e++) {
                    Thread.sleep(epochMs);
                    running = job.appendUnlessCancelled(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_TRAINING)
                            .setEpoch(e).setEpochs(EPOCHS).setValAuc(0.9 + e * 0.01));
                }
                if (!running) {
                    continue;
                }
                if (auc != null && auc.isNaN()) {
                    synchronized (job) {
                        while (!job.cancelled) {
                            job.wait();
                        }
                    }
                    continue; // cancelTraining appended CANCELLED
                }
                if (auc == null) {
                    job.appendUnlessCancelled(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_FAILED).setError("boom: out of memory"));
                    continue;
                }
                job.appendUnlessCancelled(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_EVALUATING));
                ModelVersion model = ModelVersion.newBuilder().setModelName(job.spec.getModelName()).setVersion(1).setJobId(job.id)
                        .setCard(ModelCard.newBuilder().setParameters((int) parameters(job.spec))
                                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(auc))).build();
                job.appendUnlessCancelled(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_SUCCEEDED).setModel(model));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void startTraining(TrainingJobSpec spec, StreamObserver<TrainingJob> out) {
        Job job = new Job("job-" + ids.incrementAndGet(), spec);
        job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_QUEUED).setMessage("queued"));
        synchronized (this) {
            if (!queue.offer(job)) {
                rejectedFull.incrementAndGet();
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("training queue is full; retry later").asRuntimeException());
                return;
            }
            jobs.put(job.id, job);
            accepted.add(spec);
        }
        out.onNext(TrainingJob.newBuilder().setJobId(job.id).setSpec(spec).setLatest(job.latest()).build());
        out.onCompleted();
    }

    @Override
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> out) {
        Job job = jobs.get(request.getJobId());
        if (job == null) {
            out.onError(Status.NOT_FOUND.withDescription("no job " + request.getJobId()).asRuntimeException());
            return;
        }
        boolean breakNow = breakFirstWatch.remove(job.spec.getModelName());
        int sent = 0;
        try {
            while (true) {
                List<TrainingProgress> next;
                boolean done;
                synchronized (job) {
                    while (job.history.size() == sent) {
                        job.wait(1000);
                    }
                    next = List.copyOf(job.history.subList(sent, job.history.size()));
                    done = job.done();
                }
                for (TrainingProgress p : next) {
                    out.onNext(p);
                }
                sent += next.size();
                if (breakNow) {
                    out.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
                    return;
                }
                if (done) {
                    out.onCompleted();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.asRuntimeException());
        }
    }

    @Override
    public void getTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        Job job = jobs.get(request.getJobId());
        out.onNext(TrainingJob.newBuilder().setJobId(job.id).setSpec(job.spec).setLatest(job.latest()).build());
        out.onCompleted();
    }

    @Override
    public void cancelTraining(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        Job job = jobs.get(request.getJobId());
        cancelRequests.add(request.getJobId());
        synchronized (job) {
            if (!job.done()) {
                queue.remove(job);
                job.cancelled = true;
                job.append(TrainingProgress.newBuilder().setState(JobState.JOB_STATE_CANCELLED).setError("cancelled by request"));
            }
        }
        out.onNext(TrainingJob.newBuilder().setJobId(job.id).setSpec(job.spec).setLatest(job.latest()).build());
        out.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        trainer.interrupt();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}

package io.neurosurrogate.gateway.fakes;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One trainer replica's double: unlike {@link FakeTrainer} it knows only the jobs it started or was given
 * ({@link #hold}) and the model versions in {@link #stored}, and answers NOT_FOUND for anything else, as a
 * replica does for another replica's job. Job ids start with the replica's name; every call is recorded, so
 * a test can tell which replica a call reached. While {@link #down} it answers every call UNAVAILABLE (and
 * records none), as a replica that is going away.
 */
public final class FakeTrainerReplica extends TrainerServiceGrpc.TrainerServiceImplBase {
    private static final AtomicInteger JOB_NUMBERS = new AtomicInteger();

    public final String name;
    public final List<TrainingJobSpec> started = new CopyOnWriteArrayList<>();
    public final List<String> got = new CopyOnWriteArrayList<>();
    public final List<String> watched = new CopyOnWriteArrayList<>();
    public final List<String> cancelled = new CopyOnWriteArrayList<>();
    public final List<FetchArtifactRequest> fetched = new CopyOnWriteArrayList<>();
    public final List<DatasetRequest> datasetRequests = new CopyOnWriteArrayList<>();
    public final AtomicInteger listJobsCalls = new AtomicInteger();
    public final List<ModelVersion> stored = new CopyOnWriteArrayList<>();
    /** Every call answered UNAVAILABLE while true. */
    public volatile boolean down;
    /** Counted down when the caller of a WatchTraining of an {@link #holdEndless endless} job goes away. */
    public volatile CountDownLatch watchCancelled = new CountDownLatch(1);
    private final Set<String> endless = ConcurrentHashMap.newKeySet();
    /** Jobs in the order they were submitted. */
    private final Map<String, TrainingJob> jobs = Collections.synchronizedMap(new LinkedHashMap<>());

    public FakeTrainerReplica(String name) {
        this.name = name;
    }

    /** Forgets every job, model and recorded call. */
    public void reset() {
        jobs.clear();
        stored.clear();
        endless.clear();
        watchCancelled = new CountDownLatch(1);
        for (List<?> calls : List.of(started, got, watched, cancelled, fetched, datasetRequests)) {
            calls.clear();
        }
        listJobsCalls.set(0);
        down = false;
    }

    /** A job this replica already holds, in the given state, last updated at {@code timestampMs}. */
    public TrainingJob hold(JobState state, long timestampMs) {
        return hold(state, timestampMs, "held");
    }

    /** A job of model {@code modelName} this replica already holds, in the given state. */
    public TrainingJob hold(JobState state, long timestampMs, String modelName) {
        String id = name + "-held-" + JOB_NUMBERS.incrementAndGet();
        TrainingJob job = job(id, TrainingJobSpec.newBuilder().setModelName(modelName).setNeuronModel("iaf").build(), state, timestampMs);
        jobs.put(id, job);
        return job;
    }

    /** A running job whose WatchTraining sends its latest state and then waits to be cancelled. */
    public TrainingJob holdEndless() {
        TrainingJob job = hold(JobState.JOB_STATE_TRAINING, System.currentTimeMillis());
        endless.add(job.getJobId());
        return job;
    }

    public boolean holds(String jobId) {
        return jobs.containsKey(jobId);
    }

    public JobState state(String jobId) {
        return jobs.get(jobId).getLatest().getState();
    }

    /** Stores a model version; FetchArtifact streams {@link #artifact} for it. */
    public void store(String modelName, int version) {
        stored.add(ModelVersion.newBuilder().setModelName(modelName).setVersion(version).setTrainerAddress(name).build());
    }

    /** Bytes that say which replica sent them: {@link FakeTrainer#ARTIFACT_BYTES} long, three pieces. */
    public static byte[] artifact(String replica, String modelName, int version) {
        return FakeTrainer.artifact(replica + ":" + modelName, version, "");
    }

    /** The service to serve: {@link #bindService} behind the {@link #down} switch. */
    public ServerServiceDefinition withDownSwitch() {
        return ServerInterceptors.intercept(bindService(), new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                if (!down) {
                    return next.startCall(call, headers);
                }
                call.close(Status.UNAVAILABLE.withDescription("replica " + name + " is going away"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        });
    }

    @Override
    public void startTraining(TrainingJobSpec spec, StreamObserver<TrainingJob> out) {
        started.add(spec);
        String id = name + "-job-" + JOB_NUMBERS.incrementAndGet();
        TrainingJob job = job(id, spec, JobState.JOB_STATE_QUEUED, System.currentTimeMillis());
        jobs.put(id, job);
        out.onNext(job);
        out.onCompleted();
    }

    @Override
    public void getTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        got.add(request.getJobId());
        TrainingJob job = jobs.get(request.getJobId());
        if (job == null) {
            out.onError(notFound(request.getJobId()));
            return;
        }
        out.onNext(job);
        out.onCompleted();
    }

    /**
     * Replays the job's latest state, then SUCCEEDED, both carrying this replica's name in the message (an
     * endless job: only the latest state, then waits).
     */
    @Override
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> out) {
        watched.add(request.getJobId());
        TrainingJob job = jobs.get(request.getJobId());
        if (job == null) {
            out.onError(notFound(request.getJobId()));
            return;
        }
        if (endless.contains(job.getJobId())) {
            CountDownLatch latch = watchCancelled;
            ((ServerCallStreamObserver<TrainingProgress>) out).setOnCancelHandler(latch::countDown);
            out.onNext(job.getLatest().toBuilder().setMessage(name).build());
            return;
        }
        out.onNext(job.getLatest().toBuilder().setMessage(name).build());
        out.onNext(TrainingProgress.newBuilder().setJobId(job.getJobId()).setState(JobState.JOB_STATE_SUCCEEDED).setMessage(name).build());
        out.onCompleted();
    }

    @Override
    public void cancelTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        cancelled.add(request.getJobId());
        TrainingJob job = jobs.get(request.getJobId());
        if (job == null) {
            out.onError(notFound(request.getJobId()));
            return;
        }
        TrainingJob now = job(job.getJobId(), job.getSpec(), JobState.JOB_STATE_CANCELLED, System.currentTimeMillis());
        jobs.put(job.getJobId(), now);
        out.onNext(now);
        out.onCompleted();
    }

    /** The most recently submitted first, as the trainer lists them. */
    @Override
    public void listTrainingJobs(ListTrainingJobsRequest request, StreamObserver<ListTrainingJobsResponse> out) {
        listJobsCalls.incrementAndGet();
        List<TrainingJob> newestFirst;
        synchronized (jobs) {
            newestFirst = new ArrayList<>(jobs.values());
        }
        Collections.reverse(newestFirst);
        out.onNext(ListTrainingJobsResponse.newBuilder().addAllJobs(newestFirst).build());
        out.onCompleted();
    }

    /** The stored versions of the model asked for, or all, as the trainer lists them. */
    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        StoredModels.list(stored, request, out);
    }

    @Override
    public void getDataset(DatasetRequest request, StreamObserver<DatasetInfo> out) {
        datasetRequests.add(request);
        out.onNext(DatasetInfo.newBuilder().setNeuronModel(request.getNeuronModel()).setCompleteSimulations(5).build());
        out.onCompleted();
    }

    @Override
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> out) {
        fetched.add(request);
        boolean held = stored.stream().anyMatch(m -> m.getModelName().equals(request.getModelName()) && m.getVersion() == request.getVersion());
        if (!held) {
            out.onError(Status.NOT_FOUND.withDescription("model '" + request.getModelName() + "' has no version " + request.getVersion())
                    .asRuntimeException());
            return;
        }
        StoredModels.stream(artifact(name, request.getModelName(), request.getVersion()), out);
    }

    private static RuntimeException notFound(String jobId) {
        return Status.NOT_FOUND.withDescription("no training job '" + jobId + "'").asRuntimeException();
    }

    private static TrainingJob job(String id, TrainingJobSpec spec, JobState state, long timestampMs) {
        return TrainingJob.newBuilder().setJobId(id).setSpec(spec)
                .setLatest(TrainingProgress.newBuilder().setJobId(id).setState(state).setTimestampMs(timestampMs)).build();
    }
}

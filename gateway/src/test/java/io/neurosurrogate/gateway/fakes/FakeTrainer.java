package io.neurosurrogate.gateway.fakes;

import io.grpc.Status;
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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TrainerService double: stores iaf-1x1 versions 1 to 3 and other-model version 1, each with the report
 * files metrics.json and roc.png. CancelTrainingJob and FetchArtifact answer NOT_FOUND for a job, model,
 * version or report file it does not hold, as the trainer does; job "missing" is unknown.
 */
public final class FakeTrainer extends TrainerServiceGrpc.TrainerServiceImplBase {
    /** The trainer's piece size (TrainerGrpcService.ARTIFACT_CHUNK_BYTES), so relayed messages are real-sized. */
    public static final int ARTIFACT_CHUNK_BYTES = 1 << 20;
    /** Two and a half pieces: a full, a full and a partial one. */
    public static final int ARTIFACT_BYTES = 5 * ARTIFACT_CHUNK_BYTES / 2;

    public final List<TrainingJobSpec> started = new CopyOnWriteArrayList<>();
    public final List<DatasetRequest> datasetRequests = new CopyOnWriteArrayList<>();
    public final List<GetTrainingJobRequest> cancelled = new CopyOnWriteArrayList<>();
    public final List<FetchArtifactRequest> fetched = new CopyOnWriteArrayList<>();
    public final AtomicInteger listJobsCalls = new AtomicInteger();
    public final List<ModelVersion> stored = List.of(
            version("iaf-1x1", 1), version("iaf-1x1", 2), version("iaf-1x1", 3), version("other-model", 1));
    /** What ListTrainingJobs answers: the most recently submitted first, as the trainer lists them. */
    public final List<TrainingJob> jobs = List.of(
            job("job-2", TrainingJobSpec.newBuilder().setModelName("other-model").setNeuronModel("iaf").build(), JobState.JOB_STATE_TRAINING),
            job("job-1", TrainingJobSpec.newBuilder().setModelName("iaf-1x1").setNeuronModel("iaf").build(), JobState.JOB_STATE_SUCCEEDED));

    @Override
    public void startTraining(TrainingJobSpec spec, StreamObserver<TrainingJob> out) {
        started.add(spec);
        out.onNext(job("job-" + started.size(), spec, JobState.JOB_STATE_QUEUED));
        out.onCompleted();
    }

    @Override
    public void getTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        out.onNext(job(request.getJobId(), TrainingJobSpec.getDefaultInstance(), JobState.JOB_STATE_TRAINING));
        out.onCompleted();
    }

    @Override
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> out) {
        out.onNext(TrainingProgress.newBuilder().setJobId(request.getJobId()).setState(JobState.JOB_STATE_TRAINING).setEpoch(1).build());
        out.onNext(TrainingProgress.newBuilder().setJobId(request.getJobId()).setState(JobState.JOB_STATE_SUCCEEDED).setEpoch(2).build());
        out.onCompleted();
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        StoredModels.list(stored, request, out);
    }

    @Override
    public void getDataset(DatasetRequest request, StreamObserver<DatasetInfo> out) {
        datasetRequests.add(request);
        out.onNext(DatasetInfo.newBuilder().setNeuronModel(request.getNeuronModel()).setCampaignId(request.getCampaignId())
                .setCompleteSimulations(3).build());
        out.onCompleted();
    }

    @Override
    public void cancelTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        cancelled.add(request);
        if (request.getJobId().equals("missing")) {
            out.onError(Status.NOT_FOUND.withDescription("no training job 'missing'").asRuntimeException());
            return;
        }
        out.onNext(job(request.getJobId(), TrainingJobSpec.getDefaultInstance(), JobState.JOB_STATE_CANCELLED));
        out.onCompleted();
    }

    @Override
    public void listTrainingJobs(ListTrainingJobsRequest request, StreamObserver<ListTrainingJobsResponse> out) {
        listJobsCalls.incrementAndGet();
        out.onNext(ListTrainingJobsResponse.newBuilder().addAllJobs(jobs).build());
        out.onCompleted();
    }

    /** Streams {@link #artifact} of the requested file in pieces of {@link #ARTIFACT_CHUNK_BYTES}; version 0 is the newest. */
    @Override
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> out) {
        fetched.add(request);
        ModelVersion found = null;
        for (ModelVersion m : stored) {
            boolean wanted = request.getVersion() == 0 ? found == null || m.getVersion() > found.getVersion() : m.getVersion() == request.getVersion();
            if (m.getModelName().equals(request.getModelName()) && wanted) {
                found = m;
            }
        }
        if (found == null) {
            out.onError(Status.NOT_FOUND.withDescription("model '" + request.getModelName() + "' has no version " + request.getVersion())
                    .asRuntimeException());
            return;
        }
        if (!request.getFile().isEmpty() && !found.getReportFilesList().contains(request.getFile())) {
            out.onError(Status.NOT_FOUND.withDescription("model '" + found.getModelName() + "' version " + found.getVersion()
                    + " has no report file '" + request.getFile() + "'").asRuntimeException());
            return;
        }
        StoredModels.stream(artifact(found.getModelName(), found.getVersion(), request.getFile()), out);
    }

    /** The bytes of one stored file: {@link #ARTIFACT_BYTES} long, different for every model, version and file. */
    public static byte[] artifact(String modelName, int version, String file) {
        byte[] line = (modelName + "/" + version + "/" + (file.isEmpty() ? "model.onnx" : file) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream data = new ByteArrayOutputStream(ARTIFACT_BYTES + line.length);
        while (data.size() < ARTIFACT_BYTES) {
            data.writeBytes(line);
        }
        return Arrays.copyOf(data.toByteArray(), ARTIFACT_BYTES);
    }

    private static TrainingJob job(String id, TrainingJobSpec spec, JobState state) {
        return TrainingJob.newBuilder().setJobId(id).setSpec(spec)
                .setLatest(TrainingProgress.newBuilder().setJobId(id).setState(state)).build();
    }

    private static ModelVersion version(String name, int version) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(version).setArtifactPath(name + "/" + version + "/model.onnx")
                .addReportFiles("metrics.json").addReportFiles("roc.png").build();
    }
}

package io.neurosurrogate.gateway.fakes;

import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** TrainerService double: stores iaf-1x1 versions 1 to 3 and other-model version 1. */
public final class FakeTrainer extends TrainerServiceGrpc.TrainerServiceImplBase {
    public final List<TrainingJobSpec> started = new CopyOnWriteArrayList<>();
    public final List<DatasetRequest> datasetRequests = new CopyOnWriteArrayList<>();
    public final List<ModelVersion> stored = List.of(
            version("iaf-1x1", 1), version("iaf-1x1", 2), version("iaf-1x1", 3), version("other-model", 1));

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
        ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
        for (ModelVersion m : stored) {
            if (request.getModelName().isEmpty() || request.getModelName().equals(m.getModelName())) {
                response.addModels(m);
            }
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public void getDataset(DatasetRequest request, StreamObserver<DatasetInfo> out) {
        datasetRequests.add(request);
        out.onNext(DatasetInfo.newBuilder().setNeuronModel(request.getNeuronModel()).setCampaignId(request.getCampaignId())
                .setCompleteSimulations(3).build());
        out.onCompleted();
    }

    private static TrainingJob job(String id, TrainingJobSpec spec, JobState state) {
        return TrainingJob.newBuilder().setJobId(id).setSpec(spec)
                .setLatest(TrainingProgress.newBuilder().setJobId(id).setState(state)).build();
    }

    private static ModelVersion version(String name, int version) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(version).setArtifactPath(name + "/" + version + "/model.onnx").build();
    }
}

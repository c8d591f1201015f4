package io.neurosurrogate.trainer.grpc;

import io.neurosurrogate.core.grpc.GrpcStatuses;
import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsResponse;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.jobs.ProgressSubscriber;
import io.neurosurrogate.trainer.jobs.TrainingJobQueue;
import io.neurosurrogate.trainer.jobs.TrainingJobRecord;
import io.neurosurrogate.trainer.store.DatasetStore;
import io.neurosurrogate.trainer.store.ModelStore;
import io.neurosurrogate.trainer.store.StoredArtifact;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.io.InputStream;
import java.nio.file.Files;

/** TrainerService over gRPC: maps requests onto the job queue and the stores, and errors onto statuses. */
@GrpcService
public class TrainerGrpcService extends TrainerServiceGrpc.TrainerServiceImplBase {
    /** Artifacts stream in 1 MiB pieces: well under gRPC's 4 MiB default message limit. */
    static final int ARTIFACT_CHUNK_BYTES = 1 << 20;

    private final TrainingJobQueue jobs;
    private final DatasetStore datasets;
    private final ModelStore models;

    public TrainerGrpcService(TrainingJobQueue jobs, DatasetStore datasets, ModelStore models) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.models = models;
    }

    /** Blocking: the job is made durable (fsync) before the answer. */
    @Override
    @Blocking
    public void startTraining(TrainingJobSpec request, StreamObserver<TrainingJob> response) {
        unary(response, () -> jobs.submit(request).toProto());
    }

    /** A queued job ends CANCELLED at once, the running one at its next check; an ended job comes back unchanged. */
    @Override
    @Blocking
    public void cancelTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> response) {
        unary(response, () -> jobs.cancel(request.getJobId()).toProto());
    }

    /** Every job, the most recently submitted first, each with its spec and latest progress. */
    @Override
    public void listTrainingJobs(ListTrainingJobsRequest request, StreamObserver<ListTrainingJobsResponse> response) {
        unary(response, () -> {
            ListTrainingJobsResponse.Builder out = ListTrainingJobsResponse.newBuilder();
            for (TrainingJobRecord job : jobs.list()) {
                out.addJobs(job.toProto());
            }
            return out.build();
        });
    }

    @Override
    public void getTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> response) {
        unary(response, () -> jobs.get(request.getJobId()).toProto());
    }

    /** Replays the job's history, then follows it; completes after the final state, stops on cancel. */
    @Override
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> response) {
        TrainingJobRecord job;
        try {
            job = jobs.get(request.getJobId());
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "TrainerService"));
            return;
        }
        ProgressSubscriber subscriber = progress -> {
            response.onNext(progress);
            if (TrainingJobRecord.isFinal(progress.getState())) {
                response.onCompleted();
            }
        };
        if (response instanceof ServerCallStreamObserver<TrainingProgress> call) {
            call.setOnCancelHandler(() -> job.unsubscribe(subscriber));
        }
        job.subscribe(subscriber);
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
        unary(response, () -> ListModelsResponse.newBuilder().addAllModels(models.list(request.getModelName())).build());
    }

    @Override
    public void getDataset(DatasetRequest request, StreamObserver<DatasetInfo> response) {
        unary(response, () -> {
            if (request.getNeuronModel().isBlank()) {
                throw DomainException.invalid("neuron_model is required");
            }
            return datasets.info(request.getNeuronModel(), request.getCampaignId());
        });
    }

    /**
     * Streams the ONNX file, or with {@code file} set one of the version's report files; version 0
     * means the newest. The first piece carries the sha256 of the file streamed.
     */
    @Override
    @Blocking
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> response) {
        try {
            StoredArtifact artifact = models.find(request.getModelName(), request.getVersion(), request.getFile());
            long total = artifact.sizeBytes();
            ServerCallStreamObserver<ArtifactChunk> call =
                    response instanceof ServerCallStreamObserver<ArtifactChunk> c ? c : null;
            try (InputStream in = Files.newInputStream(artifact.file())) {
                byte[] buf = new byte[ARTIFACT_CHUNK_BYTES];
                long offset = 0;
                boolean first = true;
                while (true) {
                    int n = in.readNBytes(buf, 0, buf.length);
                    if (n == 0 && !first) {
                        break;
                    }
                    if (call != null && call.isCancelled()) {
                        return;
                    }
                    ArtifactChunk.Builder chunk = ArtifactChunk.newBuilder()
                            .setData(ByteString.copyFrom(buf, 0, n)).setOffset(offset).setTotalSize(total);
                    if (first) {
                        chunk.setSha256(artifact.sha256());
                        first = false;
                    }
                    response.onNext(chunk.build());
                    offset += n;
                    if (n < buf.length) {
                        break;
                    }
                }
            }
            response.onCompleted();
        } catch (Exception e) {
            response.onError(GrpcStatuses.toStatus(e, "TrainerService"));
        }
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> void unary(StreamObserver<T> response, Call<T> call) {
        T result;
        try {
            result = call.get();
        } catch (Exception e) {
            response.onError(GrpcStatuses.toStatus(e, "TrainerService"));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}

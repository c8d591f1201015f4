package io.neurosurrogate.gateway.grpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.gateway.routing.Downstream;
import io.neurosurrogate.gateway.routing.Downstreams;
import io.neurosurrogate.gateway.routing.ModelCatalog;
import io.neurosurrogate.gateway.routing.PredictRouter;
import io.neurosurrogate.gateway.routing.TrainerReplicas;
import io.neurosurrogate.gateway.validation.CampaignRequests;
import io.neurosurrogate.gateway.validation.StreamRequests;
import io.neurosurrogate.gateway.validation.TrainingRequests;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsResponse;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;


/**
 * The public API (service NeuroSurrogate): validate, then forward to the service that owns the work.
 *
 * <p>It implements {@link BindableService} itself rather than extending the generated ImplBase, whose
 * {@code bindService()} is final: Quarkus registers the definition this class returns, and that definition
 * parses requests strictly (see {@link StrictRequestParsing}). Methods run on the gRPC event loop, so nothing
 * here blocks: downstream calls are asynchronous, and Predict's scan of a possibly large dense input moves
 * to a worker thread.
 */
@GrpcService
public class NeuroSurrogateEndpoint implements NeuroSurrogateGrpc.AsyncService, BindableService {
    private final Downstream simulator;
    private final Downstream inference;
    private final TrainerReplicas trainers;
    private final PredictRouter predictRouter;
    private final ModelCatalog modelCatalog;
    private final CampaignRequests campaignRequests;
    private final TrainingRequests trainingRequests = new TrainingRequests();
    private final StreamRequests streamRequests;

    @Inject
    public NeuroSurrogateEndpoint(Downstreams downstreams, TrainerReplicas trainers, PredictRouter predictRouter, ModelCatalog modelCatalog,
                                  GatewayConfig config) {
        this.simulator = downstreams.simulator();
        this.inference = downstreams.inference();
        this.trainers = trainers;
        this.predictRouter = predictRouter;
        this.modelCatalog = modelCatalog;
        this.campaignRequests = new CampaignRequests(config.neuronModels());
        this.streamRequests = new StreamRequests(config.stream().maxStepsPerRequest());
    }

    @Override
    public ServerServiceDefinition bindService() {
        return StrictRequestParsing.apply(NeuroSurrogateGrpc.bindService(this));
    }

    @Override
    public void startCampaign(CampaignSpec request, StreamObserver<Campaign> out) {
        Replies.unary(out, () -> {
            campaignRequests.validate(request);
            return simulator.unary(SimulatorServiceGrpc.getStartCampaignMethod(), request);
        });
    }

    @Override
    public void getCampaign(GetCampaignRequest request, StreamObserver<Campaign> out) {
        Replies.unary(out, () -> {
            campaignRequests.validate(request);
            return simulator.unary(SimulatorServiceGrpc.getGetCampaignMethod(), request);
        });
    }

    @Override
    public void watchCampaign(GetCampaignRequest request, StreamObserver<Campaign> out) {
        Replies.stream(out, () -> {
            campaignRequests.validate(request);
            simulator.relayStream(SimulatorServiceGrpc.getWatchCampaignMethod(), request, out);
        });
    }

    @Override
    public void simulate(SimulateRequest request, StreamObserver<SimulateResponse> out) {
        Replies.unary(out, () -> {
            campaignRequests.validate(request);
            return simulator.unary(SimulatorServiceGrpc.getSimulateMethod(), request);
        });
    }

    @Override
    public void startTraining(TrainingJobSpec request, StreamObserver<TrainingJob> out) {
        Replies.unary(out, () -> {
            trainingRequests.validate(request);
            return trainers.startTraining(request);
        });
    }

    @Override
    public void getTrainingJob(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        Replies.unary(out, () -> {
            trainingRequests.validate(request);
            return trainers.getTrainingJob(request);
        });
    }

    @Override
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> out) {
        Replies.stream(out, () -> {
            trainingRequests.validate(request);
            trainers.watchTraining(request, out);
        });
    }

    @Override
    public void cancelTraining(GetTrainingJobRequest request, StreamObserver<TrainingJob> out) {
        Replies.unary(out, () -> {
            trainingRequests.validate(request);
            return trainers.cancelTraining(request);
        });
    }

    @Override
    public void listTrainingJobs(ListTrainingJobsRequest request, StreamObserver<ListTrainingJobsResponse> out) {
        Replies.unary(out, () -> trainers.listTrainingJobs(request));
    }

    /** The trainers serve every stored version's files (the inference service only holds the loaded models). */
    @Override
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> out) {
        Replies.stream(out, () -> {
            trainingRequests.validate(request);
            trainers.fetchArtifact(request, out);
        });
    }

    @Override
    public void getDataset(DatasetRequest request, StreamObserver<DatasetInfo> out) {
        Replies.unary(out, () -> {
            trainingRequests.validate(request);
            return trainers.getDataset(request);
        });
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        Replies.unary(out, () -> modelCatalog.list(request));
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
        Infrastructure.getDefaultWorkerPool().execute(Context.current().wrap(() -> Replies.unary(out, () -> predictRouter.predict(request))));
    }

    /** One inference service call per stream, for its whole life: a stream's sequences keep their state there. */
    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
        return inference.relayBidiStream(InferenceServiceGrpc.getStreamMethod(), out, streamRequests::validate);
    }
}

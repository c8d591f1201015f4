package io.neurosurrogate.simulator.grpc;

import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.ListCampaignsRequest;
import io.neurosurrogate.proto.v1.ListCampaignsResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.simulator.campaign.CampaignRun;
import io.neurosurrogate.simulator.campaign.CampaignRunner;
import io.neurosurrogate.simulator.campaign.SingleSimulation;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** SimulatorService over gRPC: campaigns run in the background, Simulate runs one simulation inline. */
@GrpcService
public class SimulatorGrpcService extends SimulatorServiceGrpc.SimulatorServiceImplBase {

    @Inject
    CampaignRunner campaigns;

    @Inject
    SingleSimulation singleSimulation;

    @Override
    public void startCampaign(CampaignSpec request, StreamObserver<Campaign> response) {
        try {
            respond(response, campaigns.start(request));
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "SimulatorService"));
        }
    }

    @Override
    public void getCampaign(GetCampaignRequest request, StreamObserver<Campaign> response) {
        try {
            respond(response, campaigns.get(request.getCampaignId()));
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "SimulatorService"));
        }
    }

    @Override
    public void watchCampaign(GetCampaignRequest request, StreamObserver<Campaign> response) {
        try {
            CampaignWatch.start(campaigns.run(request.getCampaignId()), response);
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "SimulatorService"));
        }
    }

    @Override
    public void listCampaigns(ListCampaignsRequest request, StreamObserver<ListCampaignsResponse> response) {
        try {
            ListCampaignsResponse.Builder list = ListCampaignsResponse.newBuilder();
            for (CampaignRun run : campaigns.all()) {
                list.addCampaigns(run.snapshot());
            }
            respond(response, list.build());
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "SimulatorService"));
        }
    }

    /** CPU-bound for up to a second (60 s of neuron time): runs on a worker thread, not the event loop. */
    @Override
    @Blocking
    public void simulate(SimulateRequest request, StreamObserver<SimulateResponse> response) {
        try {
            respond(response, singleSimulation.simulate(request));
        } catch (RuntimeException e) {
            response.onError(GrpcStatuses.toStatus(e, "SimulatorService"));
        }
    }

    private static <T> void respond(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}

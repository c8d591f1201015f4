package io.neurosurrogate.gateway.fakes;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.proto.v1.TraceChunk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SimulatorService double. A campaign named "status:CODE:message" is answered with that status, one named
 * "sleep:MILLIS" only after that long (noting a cancellation meanwhile in {@link #cancelledStarts}); WatchCampaign of "forever" sends one update and waits to be cancelled.
 */
public final class FakeSimulator extends SimulatorServiceGrpc.SimulatorServiceImplBase {
    public final List<CampaignSpec> started = new CopyOnWriteArrayList<>();
    public final List<SimulateRequest> simulated = new CopyOnWriteArrayList<>();
    /** Time left to the deadline each StartCampaign arrived with, in ms (-1: none). */
    public final List<Long> startDeadlinesMs = new CopyOnWriteArrayList<>();
    public volatile CountDownLatch watchCancelled = new CountDownLatch(1);
    /** Names of the "sleep:" campaigns whose StartCampaign call was cancelled by the caller (the gateway) while it slept. */
    public final List<String> cancelledStarts = new CopyOnWriteArrayList<>();

    @Override
    public void startCampaign(CampaignSpec spec, StreamObserver<Campaign> out) {
        Deadline deadline = Context.current().getDeadline();
        startDeadlinesMs.add(deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS));
        started.add(spec);
        String name = spec.getName();
        if (name.startsWith("status:")) {
            String[] parts = name.split(":", 3);
            out.onError(Status.fromCode(Status.Code.valueOf(parts[1])).withDescription(parts[2]).asRuntimeException());
            return;
        }
        if (name.startsWith("sleep:")) {
            AtomicBoolean sleeping = new AtomicBoolean(true); // the context is also cancelled when the call ends normally
            Context.current().addListener(cancelled -> {
                if (sleeping.get()) {
                    cancelledStarts.add(name);
                }
            }, Runnable::run);
            sleep(Long.parseLong(name.substring("sleep:".length())));
            sleeping.set(false);
        }
        out.onNext(Campaign.newBuilder().setCampaignId("c-" + started.size()).setSpec(spec).setState(CampaignState.CAMPAIGN_STATE_PENDING).build());
        out.onCompleted();
    }

    @Override
    public void getCampaign(GetCampaignRequest request, StreamObserver<Campaign> out) {
        if (request.getCampaignId().equals("missing")) {
            out.onError(Status.NOT_FOUND.withDescription("campaign missing does not exist").asRuntimeException());
            return;
        }
        out.onNext(campaign(request.getCampaignId(), CampaignState.CAMPAIGN_STATE_SUCCEEDED, 3));
        out.onCompleted();
    }

    @Override
    public void watchCampaign(GetCampaignRequest request, StreamObserver<Campaign> out) {
        if (request.getCampaignId().equals("forever")) {
            CountDownLatch latch = watchCancelled;
            ((ServerCallStreamObserver<Campaign>) out).setOnCancelHandler(latch::countDown);
            out.onNext(campaign("forever", CampaignState.CAMPAIGN_STATE_RUNNING, 0));
            return;
        }
        out.onNext(campaign(request.getCampaignId(), CampaignState.CAMPAIGN_STATE_PENDING, 0));
        out.onNext(campaign(request.getCampaignId(), CampaignState.CAMPAIGN_STATE_RUNNING, 1));
        out.onNext(campaign(request.getCampaignId(), CampaignState.CAMPAIGN_STATE_SUCCEEDED, 3));
        out.onCompleted();
    }

    @Override
    public void simulate(SimulateRequest request, StreamObserver<SimulateResponse> out) {
        simulated.add(request);
        SimulationMetadata meta = SimulationMetadata.newBuilder().setNeuronModel(request.getNeuronModel())
                .setDurationMs(request.getDurationMs()).setSeed(request.getSeed()).build();
        out.onNext(SimulateResponse.newBuilder().setTrace(TraceChunk.newBuilder().setMeta(meta).setLengthMs(request.getDurationMs()))
                .setEngineSeconds(0.5).build());
        out.onCompleted();
    }

    private static Campaign campaign(String id, CampaignState state, int completed) {
        return Campaign.newBuilder().setCampaignId(id).setState(state).setCompleted(completed).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

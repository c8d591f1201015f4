package io.neurosurrogate.simulator.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.simulator.campaign.CampaignListener;
import io.neurosurrogate.simulator.campaign.CampaignRun;
import io.neurosurrogate.simulator.campaign.VersionedCampaign;

/**
 * One WatchCampaign stream: sends the current status, then every change, and completes after the
 * terminal status. Respects flow control: while the client is not ready only the newest status is
 * kept (a slow watcher sees fewer intermediate states, never a stale final one). Ends quietly when
 * the client cancels.
 */
final class CampaignWatch implements CampaignListener {
    private final CampaignRun run;
    private final StreamObserver<Campaign> observer;
    private final ServerCallStreamObserver<Campaign> flowControl;
    private long sentVersion = -1;
    private VersionedCampaign pending;
    private boolean done;

    private CampaignWatch(CampaignRun run, StreamObserver<Campaign> observer) {
        this.run = run;
        this.observer = observer;
        this.flowControl = observer instanceof ServerCallStreamObserver<Campaign> s ? s : null;
    }

    /** Starts watching; must be called from inside the gRPC method (handlers are set there). */
    static void start(CampaignRun run, StreamObserver<Campaign> observer) {
        CampaignWatch watch = new CampaignWatch(run, observer);
        if (watch.flowControl != null) {
            watch.flowControl.setOnCancelHandler(watch::cancelled);
            watch.flowControl.setOnReadyHandler(watch::ready);
        }
        run.addListener(watch);
        watch.onChange(run.versionedSnapshot());
    }

    @Override
    public synchronized void onChange(VersionedCampaign change) {
        if (done || change.version() <= sentVersion || (pending != null && change.version() <= pending.version())) {
            return;
        }
        pending = change;
        drain();
    }

    private synchronized void ready() {
        drain();
    }

    private synchronized void cancelled() {
        finish();
    }

    private void drain() {
        if (done || pending == null || (flowControl != null && !flowControl.isReady())) {
            return;
        }
        VersionedCampaign next = pending;
        pending = null;
        sentVersion = next.version();
        observer.onNext(next.campaign());
        if (CampaignRun.isTerminal(next.campaign().getState())) {
            observer.onCompleted();
            finish();
        }
    }

    private void finish() {
        done = true;
        pending = null;
        run.removeListener(this);
    }
}

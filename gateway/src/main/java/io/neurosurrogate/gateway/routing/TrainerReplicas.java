package io.neurosurrogate.gateway.routing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.gateway.GatewayConfig;
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
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The trainer service's replicas ({@code ns.gateway.trainer}, comma separated), one channel each. Every
 * replica keeps its own jobs and models on its own disk and ingests every trace itself, so:
 * <ul>
 *   <li>StartTraining goes to the replica with the fewest unfinished jobs (from each one's ListTrainingJobs,
 *       plus the starts this gateway has in flight to it); ties, in turn; a replica that does not answer
 *       the listing gets nothing. UNAVAILABLE, naming every replica, when none answers.</li>
 *   <li>GetTrainingJob, WatchTraining and CancelTraining go to the replica that holds the job: remembered
 *       from StartTraining, else found by asking the replicas in turn (NOT_FOUND means "not mine").</li>
 *   <li>FetchArtifact streams from the first replica, in turn, that holds the version (a NOT_FOUND before
 *       the first piece means try the next; one replica's pieces are never mixed with another's).</li>
 *   <li>GetDataset: the first replica that answers.</li>
 *   <li>ListTrainingJobs and ListModels merge the replicas' lists. A replica that does not answer is left
 *       out (logged); only when none answers is the call UNAVAILABLE.</li>
 * </ul>
 * With one replica every call is forwarded as it is, and its statuses pass through unchanged.
 */
@Singleton
public class TrainerReplicas {
    private static final Logger LOG = Logger.getLogger(TrainerReplicas.class);
    /** Job owners remembered; beyond this the least recently used are found again by asking. */
    private static final int REMEMBERED_JOBS = 10_000;
    private static final Executor DIRECT = MoreExecutors.directExecutor();

    private final List<Downstream> replicas;
    private final JobOwners owners = new JobOwners(REMEMBERED_JOBS);
    /** Per replica: StartTraining calls sent and not yet answered, so that a burst of starts spreads too. */
    private final int[] startsInFlight;
    private int nextInTurn;

    @Inject
    public TrainerReplicas(GatewayConfig config) {
        this(open(config));
    }

    TrainerReplicas(List<Downstream> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("ns.gateway.trainer names no trainer service");
        }
        this.replicas = List.copyOf(replicas);
        this.startsInFlight = new int[replicas.size()];
    }

    private static List<Downstream> open(GatewayConfig config) {
        List<Downstream> out = new ArrayList<>();
        for (String address : addresses(config.trainer())) {
            out.add(Downstreams.open("trainer service", address, config));
        }
        return out;
    }

    /** The configured addresses, trimmed, blanks dropped; a replica named twice is a configuration error. */
    static List<String> addresses(List<String> configured) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : configured) {
            String address = raw.trim();
            if (address.isEmpty()) {
                continue;
            }
            if (!seen.add(address)) {
                throw new IllegalArgumentException("ns.gateway.trainer names " + address + " twice: " + String.join(",", configured));
            }
            out.add(address);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("ns.gateway.trainer names no trainer service");
        }
        return out;
    }

    /** host:port of every replica, in configuration order. */
    public List<String> addresses() {
        return replicas.stream().map(Downstream::address).toList();
    }

    /** Forgets which replica holds which job, as a restarted gateway has; later calls find the owners by asking. */
    public void forgetJobOwners() {
        owners.forgetAll();
    }

    public ListenableFuture<TrainingJob> startTraining(TrainingJobSpec spec) {
        if (replicas.size() == 1) {
            return replicas.get(0).unary(TrainerServiceGrpc.getStartTrainingMethod(), spec);
        }
        Executor inCallersContext = inCallersContext();
        ListenableFuture<List<ReplicaReply<ListTrainingJobsResponse>>> listed =
                askAll(TrainerServiceGrpc.getListTrainingJobsMethod(), ListTrainingJobsRequest.getDefaultInstance());
        return Futures.transformAsync(listed, replies -> start(leastLoaded(replies), spec), inCallersContext);
    }

    public ListenableFuture<TrainingJob> getTrainingJob(GetTrainingJobRequest request) {
        return onOwner(request.getJobId(), TrainerServiceGrpc.getGetTrainingJobMethod(), request);
    }

    public ListenableFuture<TrainingJob> cancelTraining(GetTrainingJobRequest request) {
        return onOwner(request.getJobId(), TrainerServiceGrpc.getCancelTrainingJobMethod(), request);
    }

    /** Call from the service method (see {@link CallerStream}). */
    public void watchTraining(GetTrainingJobRequest request, StreamObserver<TrainingProgress> out) {
        MethodDescriptor<GetTrainingJobRequest, TrainingProgress> watch = TrainerServiceGrpc.getWatchTrainingMethod();
        Downstream owner = replicas.size() == 1 ? replicas.get(0) : owners.find(request.getJobId());
        if (owner != null) {
            owner.relayStream(watch, request, out);
            return;
        }
        streamInTurn(watch, request, new CallerStream<>(out), found -> owners.remember(request.getJobId(), found));
    }

    /** Call from the service method (see {@link CallerStream}). */
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> out) {
        MethodDescriptor<FetchArtifactRequest, ArtifactChunk> fetch = TrainerServiceGrpc.getFetchArtifactMethod();
        if (replicas.size() == 1) {
            replicas.get(0).relayStream(fetch, request, out);
            return;
        }
        streamInTurn(fetch, request, new CallerStream<>(out), found -> { });
    }

    public ListenableFuture<DatasetInfo> getDataset(DatasetRequest request) {
        if (replicas.size() == 1) {
            return replicas.get(0).unary(TrainerServiceGrpc.getGetDatasetMethod(), request);
        }
        return Futures.transform(firstTaker(TrainerServiceGrpc.getGetDatasetMethod(), request, false), ReplicaReply::value, DIRECT);
    }

    /** Every replica's jobs; each replica's own order (the most recently submitted first) is kept, see {@link #mergeJobs}. */
    public ListenableFuture<ListTrainingJobsResponse> listTrainingJobs(ListTrainingJobsRequest request) {
        if (replicas.size() == 1) {
            return replicas.get(0).unary(TrainerServiceGrpc.getListTrainingJobsMethod(), request);
        }
        return Futures.transform(askAll(TrainerServiceGrpc.getListTrainingJobsMethod(), request),
                replies -> mergeJobs(answered(replies, "training jobs")), DIRECT);
    }

    /** Every replica's model versions, by model name, then version, then replica order. */
    public ListenableFuture<ListModelsResponse> listModels(ListModelsRequest request) {
        if (replicas.size() == 1) {
            return replicas.get(0).unary(TrainerServiceGrpc.getListModelsMethod(), request);
        }
        return Futures.transform(askAll(TrainerServiceGrpc.getListModelsMethod(), request), replies -> {
            List<ModelVersion> models = new ArrayList<>();
            for (ReplicaReply<ListModelsResponse> r : answered(replies, "models")) {
                models.addAll(r.value().getModelsList());
            }
            models.sort(Comparator.comparing(ModelVersion::getModelName).thenComparingInt(ModelVersion::getVersion));
            return ListModelsResponse.newBuilder().addAllModels(models).build();
        }, DIRECT);
    }

    @PreDestroy
    void close() {
        replicas.forEach(Downstream::shutdown);
    }

    private ListenableFuture<TrainingJob> start(int replica, TrainingJobSpec spec) {
        Downstream target = replicas.get(replica);
        ListenableFuture<TrainingJob> started = target.unary(TrainerServiceGrpc.getStartTrainingMethod(), spec);
        started.addListener(() -> {
            synchronized (this) {
                startsInFlight[replica]--;
            }
        }, DIRECT);
        return Futures.transform(started, job -> {
            owners.remember(job.getJobId(), target);
            return job;
        }, DIRECT);
    }

    /**
     * The replica with the fewest unfinished jobs, among those whose listing answered; counted as in flight
     * before this returns. Ties go round: the search starts one past the replica chosen last.
     */
    private synchronized int leastLoaded(List<ReplicaReply<ListTrainingJobsResponse>> replies) {
        int n = replicas.size();
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = (nextInTurn + k) % n;
            ReplicaReply<ListTrainingJobsResponse> r = replies.get(i);
            if (!r.ok()) {
                continue;
            }
            long load = unfinished(r.value()) + startsInFlight[i];
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        if (best < 0) {
            throw noneAnswered(replies);
        }
        nextInTurn = (best + 1) % n;
        startsInFlight[best]++;
        return best;
    }

    private static int unfinished(ListTrainingJobsResponse jobs) {
        int count = 0;
        for (TrainingJob job : jobs.getJobsList()) {
            JobState s = job.getLatest().getState();
            if (s != JobState.JOB_STATE_SUCCEEDED && s != JobState.JOB_STATE_FAILED && s != JobState.JOB_STATE_CANCELLED) {
                count++;
            }
        }
        return count;
    }

    private <Q, R> ListenableFuture<R> onOwner(String jobId, MethodDescriptor<Q, R> method, Q request) {
        Downstream owner = replicas.size() == 1 ? replicas.get(0) : owners.find(jobId);
        if (owner != null) {
            return owner.unary(method, request);
        }
        return Futures.transform(firstTaker(method, request, true), reply -> {
            owners.remember(jobId, reply.replica());
            return reply.value();
        }, DIRECT);
    }

    /** Asks every replica at once; each reply carries its value or its failure. */
    private <Q, R> ListenableFuture<List<ReplicaReply<R>>> askAll(MethodDescriptor<Q, R> method, Q request) {
        List<ListenableFuture<ReplicaReply<R>>> replies = new ArrayList<>();
        for (Downstream r : replicas) {
            replies.add(ask(r, method, request));
        }
        return Futures.allAsList(replies);
    }

    private static <Q, R> ListenableFuture<ReplicaReply<R>> ask(Downstream replica, MethodDescriptor<Q, R> method, Q request) {
        return Futures.catching(Futures.transform(replica.unary(method, request), v -> ReplicaReply.answered(replica, v), DIRECT),
                Exception.class, e -> ReplicaReply.failed(replica, e), DIRECT);
    }

    /**
     * Asks the replicas one after another until one takes the call: it answers, or fails otherwise than by
     * not answering (or, when {@code notFoundMeansNext}, by NOT_FOUND). That reply decides; when no replica
     * takes the call, see {@link ReplicaReply#noneTook}.
     */
    private <Q, R> ListenableFuture<ReplicaReply<R>> firstTaker(MethodDescriptor<Q, R> method, Q request, boolean notFoundMeansNext) {
        return firstTaker(0, method, request, notFoundMeansNext, new ArrayList<>(), inCallersContext());
    }

    private <Q, R> ListenableFuture<ReplicaReply<R>> firstTaker(int i, MethodDescriptor<Q, R> method, Q request, boolean notFoundMeansNext,
                                                             List<ReplicaReply<R>> passed, Executor inCallersContext) {
        if (i == replicas.size()) {
            return Futures.immediateFailedFuture(ReplicaReply.noneTook(passed));
        }
        return Futures.transformAsync(ask(replicas.get(i), method, request), reply -> {
            if (reply.unanswered() || (notFoundMeansNext && reply.notFound())) {
                passed.add(reply);
                return firstTaker(i + 1, method, request, notFoundMeansNext, passed, inCallersContext);
            }
            if (!reply.ok()) {
                throw reply.error();
            }
            return Futures.immediateFuture(reply);
        }, inCallersContext);
    }

    /**
     * Opens the stream on the replicas one after another, until one sends a message or ends it otherwise
     * than with NOT_FOUND or by not answering; from then on that replica alone feeds the caller, and
     * {@code found} learns which one it is.
     */
    private <Q, R> void streamInTurn(MethodDescriptor<Q, R> method, Q request, CallerStream<R> caller, Consumer<Downstream> found) {
        streamFrom(0, method, request, caller, found, new ArrayList<>(), Context.current());
    }

    private <Q, R> void streamFrom(int i, MethodDescriptor<Q, R> method, Q request, CallerStream<R> caller, Consumer<Downstream> found,
                                   List<ReplicaReply<R>> passed, Context callers) {
        if (i == replicas.size()) {
            caller.onError(ReplicaReply.noneTook(passed));
            return;
        }
        Downstream replica = replicas.get(i);
        caller.follow(replica.openStream(method, request, new StreamObserver<>() {
            private boolean taken; // a call's callbacks come one at a time

            @Override
            public void onNext(R value) {
                if (!taken) {
                    taken = true;
                    found.accept(replica);
                }
                caller.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                ReplicaReply<R> reply = ReplicaReply.failed(replica, t);
                if (!taken && !caller.cancelled() && (reply.unanswered() || reply.notFound())) {
                    passed.add(reply);
                    // the next call starts in the caller's context: its deadline and cancellation apply
                    callers.run(() -> streamFrom(i + 1, method, request, caller, found, passed, callers));
                    return;
                }
                caller.onError(reply.error());
            }

            @Override
            public void onCompleted() {
                if (!taken) {
                    found.accept(replica);
                }
                caller.onCompleted();
            }
        }));
    }

    /**
     * The replies that carry a value; replicas that did not answer are left out (and logged), UNAVAILABLE when
     * none answered. Any other failure (the request itself refused) is the answer.
     */
    private static <R> List<ReplicaReply<R>> answered(List<ReplicaReply<R>> replies, String what) {
        List<ReplicaReply<R>> ok = new ArrayList<>();
        for (ReplicaReply<R> r : replies) {
            if (r.ok()) {
                ok.add(r);
            } else if (r.unanswered()) {
                LOG.warnf("listing %s without those of %s: %s", what, r.replica().address(), r.failure());
            } else {
                throw r.error();
            }
        }
        if (ok.isEmpty()) {
            throw noneAnswered(replies);
        }
        return ok;
    }

    /**
     * One list from the replicas' lists, each kept in its own order (the trainer lists the most recently
     * submitted job first). Between replicas, the head whose latest update is newer goes first; on a tie the
     * earlier replica in {@code ns.gateway.trainer}. The proto carries no submit time, so this is the closest
     * stable order: the same replica lists give the same merged list.
     */
    static ListTrainingJobsResponse mergeJobs(List<? extends ReplicaReply<ListTrainingJobsResponse>> lists) {
        int n = lists.size();
        int[] next = new int[n];
        ListTrainingJobsResponse.Builder out = ListTrainingJobsResponse.newBuilder();
        while (true) {
            int pick = -1;
            long pickMs = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                List<TrainingJob> jobs = lists.get(i).value().getJobsList();
                if (next[i] < jobs.size()) {
                    long ms = jobs.get(next[i]).getLatest().getTimestampMs();
                    if (pick < 0 || ms > pickMs) {
                        pick = i;
                        pickMs = ms;
                    }
                }
            }
            if (pick < 0) {
                return out.build();
            }
            out.addJobs(lists.get(pick).value().getJobs(next[pick]++));
        }
    }

    private static StatusRuntimeException noneAnswered(List<? extends ReplicaReply<?>> replies) {
        List<String> failures = new ArrayList<>();
        for (ReplicaReply<?> r : replies) {
            failures.add(r.failure());
        }
        return Status.UNAVAILABLE.withDescription("no trainer service replica answered: " + String.join("; ", failures))
                .asRuntimeException();
    }

    private static Executor inCallersContext() {
        return Context.current().fixedContextExecutor(DIRECT);
    }
}

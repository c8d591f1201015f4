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
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The trainer service's replicas ({@code ns.gateway.trainer}, comma separated), one channel each. Every
 * replica keeps its own jobs and models on its own disk and ingests every trace itself, so:
 * <ul>
 *   <li>StartTraining of a model name that a replica already holds (a stored version in its ListModels, or
 *       an unfinished job for the name in its ListTrainingJobs) goes to that replica, its home: each trainer
 *       numbers a model's versions on its own and publishes {@code <model>/<version>}, so a second replica
 *       would make a second version 1. Homes are remembered from then on. A home that does not answer makes
 *       the call UNAVAILABLE, naming it; the model is not started elsewhere. When several replicas hold the
 *       name (from before this rule), the one with the highest version is its home (logged).</li>
 *   <li>StartTraining of a new model name goes to the replica with the fewest unfinished jobs (from each
 *       one's ListTrainingJobs, plus the starts this gateway has in flight to it); ties, in turn; a replica
 *       that does not answer the listings gets nothing. UNAVAILABLE, naming every replica, when none
 *       answers. A name this gateway does not remember, while a replica does not answer, counts as new
 *       (logged): that replica might hold it, but refusing every new model while one replica is down would
 *       stop all training.</li>
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
    /** Model homes remembered; beyond this the least recently used are found again by asking. */
    private static final int REMEMBERED_MODELS = 10_000;
    private static final Executor DIRECT = MoreExecutors.directExecutor();

    private final List<Downstream> replicas;
    private final ReplicaOwners owners = new ReplicaOwners(REMEMBERED_JOBS);
    /** Model name to the replica that numbers its versions. */
    private final ReplicaOwners homes = new ReplicaOwners(REMEMBERED_MODELS);
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
        return ReplicaAddresses.parse("ns.gateway.trainer", "trainer service", configured);
    }

    /** host:port of every replica, in configuration order. */
    public List<String> addresses() {
        return replicas.stream().map(Downstream::address).toList();
    }

    /**
     * Forgets which replica holds which job and which model name, as a restarted gateway has; later calls find
     * them by asking.
     */
    public void forgetOwners() {
        owners.forgetAll();
        homes.forgetAll();
    }

    public ListenableFuture<TrainingJob> startTraining(TrainingJobSpec spec) {
        if (replicas.size() == 1) {
            return replicas.get(0).unary(TrainerServiceGrpc.getStartTrainingMethod(), spec);
        }
        Placement remembered = rememberedHome(spec.getModelName());
        if (remembered != null) {
            return start(remembered, spec);
        }
        Executor inCallersContext = inCallersContext();
        ListenableFuture<List<ReplicaReply<ListTrainingJobsResponse>>> jobs =
                askAll(TrainerServiceGrpc.getListTrainingJobsMethod(), ListTrainingJobsRequest.getDefaultInstance());
        ListenableFuture<List<ReplicaReply<ListModelsResponse>>> versions =
                askAll(TrainerServiceGrpc.getListModelsMethod(), ListModelsRequest.newBuilder().setModelName(spec.getModelName()).build());
        return Futures.whenAllSucceed(jobs, versions).callAsync(
                () -> start(place(spec.getModelName(), Futures.getDone(jobs), Futures.getDone(versions)), spec), inCallersContext);
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

    /**
     * Where a StartTraining goes: {@code replica} (an index); {@code home} when the replica already held the
     * model name, so that it must not be replaced by another.
     */
    private record Placement(int replica, boolean home) {
    }

    /** The remembered home of the model, counted as in flight; null when none is remembered. */
    private synchronized Placement rememberedHome(String model) {
        Placement home = homeOf(model);
        if (home != null) {
            startsInFlight[home.replica()]++;
        }
        return home;
    }

    /**
     * The model's home when a replica holds the name, else the least loaded replica; remembered as the
     * model's home and counted as in flight before this returns, so that concurrent starts of one new name
     * all go to the same replica.
     */
    private synchronized Placement place(String model, List<ReplicaReply<ListTrainingJobsResponse>> jobs,
                                         List<ReplicaReply<ListModelsResponse>> versions) {
        Placement placement = homeOf(model); // remembered meanwhile by a concurrent start of the same name
        if (placement == null) {
            int home = heldBy(model, jobs, versions);
            placement = home >= 0 ? new Placement(home, true) : new Placement(leastLoaded(model, jobs, versions), false);
            homes.remember(model, replicas.get(placement.replica()));
        }
        startsInFlight[placement.replica()]++;
        return placement;
    }

    private Placement homeOf(String model) {
        Downstream home = homes.find(model);
        return home == null ? null : new Placement(replicas.indexOf(home), true);
    }

    /**
     * The replica that holds the model name (a stored version, or an unfinished job for it), -1 when none that
     * answered does. Several: the one with the highest version, the first of them on a tie.
     */
    private int heldBy(String model, List<ReplicaReply<ListTrainingJobsResponse>> jobs, List<ReplicaReply<ListModelsResponse>> versions) {
        int best = -1;
        int bestVersion = -1;
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            int highest = versions.get(i).ok() ? highestVersion(model, versions.get(i).value()) : 0;
            boolean running = jobs.get(i).ok() && unfinished(model, jobs.get(i).value());
            if (highest == 0 && !running) {
                continue;
            }
            holders.add(replicas.get(i).address() + (highest > 0 ? " (version " + highest + ")" : " (an unfinished job)"));
            if (highest > bestVersion) {
                best = i;
                bestVersion = highest;
            }
        }
        if (holders.size() > 1) {
            LOG.warnf("model '%s' is held by several trainer replicas, whose version numbers may collide: %s; starting it on %s",
                    model, String.join(", ", holders), replicas.get(best).address());
        }
        return best;
    }

    private static int highestVersion(String model, ListModelsResponse versions) {
        int highest = 0;
        for (ModelVersion v : versions.getModelsList()) {
            if (v.getModelName().equals(model)) { // a replica lists only the name asked for; checked all the same
                highest = Math.max(highest, v.getVersion());
            }
        }
        return highest;
    }

    private static boolean unfinished(String model, ListTrainingJobsResponse jobs) {
        for (TrainingJob job : jobs.getJobsList()) {
            if (job.getSpec().getModelName().equals(model) && unfinished(job)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts the job on the placed replica. A home that does not answer is UNAVAILABLE saying that the model
     * lives there; a new name whose start fails is forgotten, so that the next start places it afresh.
     */
    private ListenableFuture<TrainingJob> start(Placement placement, TrainingJobSpec spec) {
        int replica = placement.replica();
        Downstream target = replicas.get(replica);
        String model = spec.getModelName();
        ListenableFuture<TrainingJob> started = target.unary(TrainerServiceGrpc.getStartTrainingMethod(), spec);
        started.addListener(() -> {
            synchronized (this) {
                startsInFlight[replica]--;
            }
        }, DIRECT);
        ListenableFuture<TrainingJob> remembered = Futures.transform(started, job -> {
            owners.remember(job.getJobId(), target);
            homes.remember(model, target);
            return job;
        }, DIRECT);
        return Futures.catching(remembered, Exception.class, e -> {
            ReplicaReply<TrainingJob> failed = ReplicaReply.failed(target, e);
            if (!placement.home()) {
                homes.forget(model, target);
            } else if (failed.error().getStatus().getCode() == Status.Code.UNAVAILABLE) {
                throw Status.UNAVAILABLE.withDescription("model '" + model + "' keeps its versions on trainer replica " + target.address()
                        + ", which did not answer; it is started there only (another replica would number its versions anew), "
                        + "retry when that replica is back: " + failed.failure()).asRuntimeException();
            }
            throw failed.error();
        }, DIRECT);
    }

    /**
     * The replica with the fewest unfinished jobs, among those whose listings answered. Ties go round: the
     * search starts one past the replica chosen last. Replicas that did not answer are logged: a name new to
     * the others might be theirs.
     */
    private int leastLoaded(String model, List<ReplicaReply<ListTrainingJobsResponse>> jobs, List<ReplicaReply<ListModelsResponse>> versions) {
        int n = replicas.size();
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        List<ReplicaReply<?>> listings = new ArrayList<>(); // per replica: its failed listing, else an answered one
        for (int i = 0; i < n; i++) {
            listings.add(jobs.get(i).ok() ? versions.get(i) : jobs.get(i));
        }
        for (int k = 0; k < n; k++) {
            int i = (nextInTurn + k) % n;
            if (!listings.get(i).ok()) {
                continue;
            }
            long load = unfinished(jobs.get(i).value()) + startsInFlight[i];
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        if (best < 0) {
            throw noneAnswered(listings);
        }
        for (ReplicaReply<?> r : listings) {
            if (!r.ok()) {
                LOG.warnf("starting model '%s' as a new one on %s without knowing whether %s holds it (should it, their version "
                        + "numbers collide): %s", model, replicas.get(best).address(), r.replica().address(), r.failure());
            }
        }
        nextInTurn = (best + 1) % n;
        return best;
    }

    private static int unfinished(ListTrainingJobsResponse jobs) {
        int count = 0;
        for (TrainingJob job : jobs.getJobsList()) {
            if (unfinished(job)) {
                count++;
            }
        }
        return count;
    }

    private static boolean unfinished(TrainingJob job) {
        JobState s = job.getLatest().getState();
        return s != JobState.JOB_STATE_SUCCEEDED && s != JobState.JOB_STATE_FAILED && s != JobState.JOB_STATE_CANCELLED;
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

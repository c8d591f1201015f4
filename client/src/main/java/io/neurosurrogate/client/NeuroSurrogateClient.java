package io.neurosurrogate.client;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.GetCampaignRequest;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListTrainingJobsRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Java SDK: one gRPC channel to the gateway and the calls a user or a co-simulation makes.
 * Errors arrive as {@link StatusRuntimeException} carrying the gateway's status and message.
 */
public final class NeuroSurrogateClient implements AutoCloseable {
    /** Large enough for a batch of dense windows; the gateway enforces its own limit. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final ManagedChannel connection;
    /** {@link #connection} with the API key on every call. */
    private final Channel channel;
    private final NeuroSurrogateGrpc.NeuroSurrogateBlockingStub stub;
    private final NeuroSurrogateAsync async;
    private final String target;

    /** A client that sends no API key: for a gateway with {@code ns.gateway.security.enabled=false}. */
    public NeuroSurrogateClient(String hostPort) {
        this(hostPort, null);
    }

    /**
     * @param apiKey sent as {@code authorization: Bearer <key>} on every call (see {@link ApiKeys}); null sends none
     */
    public NeuroSurrogateClient(String hostPort, String apiKey) {
        this(hostPort, apiKey, null);
    }

    /**
     * A client of a gateway whose public port speaks TLS ({@code quarkus.grpc.server.ssl.*}).
     *
     * @param trustedCertificates PEM file of the certificate(s) to trust for the gateway (its own, or the CA that
     *                            signed it); null connects in plaintext
     */
    public NeuroSurrogateClient(String hostPort, String apiKey, java.nio.file.Path trustedCertificates) {
        this.target = hostPort;
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(hostPort).maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (trustedCertificates == null) {
            builder.usePlaintext();
        } else {
            try {
                builder.sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
                        .trustManager(trustedCertificates.toFile()).build());
            } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use " + trustedCertificates + " as trusted certificates (PEM): " + e.getMessage(), e);
            }
        }
        this.connection = builder.build();
        this.channel = ApiKeyHeader.on(connection, apiKey);
        this.stub = NeuroSurrogateGrpc.newBlockingStub(channel);
        this.async = new NeuroSurrogateAsync(channel);
    }

    /** The same calls without blocking: each returns a CompletableFuture (one channel, many calls in flight). */
    public NeuroSurrogateAsync async() {
        return async;
    }

    /**
     * {@code neurons} surrogate neurons of a model version advanced together, interval by interval, through this
     * gateway: the co-simulation helper ({@link SurrogatePopulation}).
     */
    public SurrogatePopulation population(String modelName, int neurons, SurrogatePopulation.Options options) {
        return SurrogatePopulation.open(this, modelName, neurons, options);
    }

    public String target() {
        return target;
    }

    /** A stateful per-step stream of one model version through the gateway. */
    public SurrogateStream openStream(String modelName, String version) {
        return SurrogateStream.viaGateway(channel, modelName, version);
    }

    /**
     * A stream through the gateway; with {@code eventDriven} the first layer runs event by event
     * (StreamOpen.event_driven: same outputs, cheaper for sparse input; FAILED_PRECONDITION when the
     * version has no events graph).
     */
    public SurrogateStream openStream(String modelName, String version, boolean eventDriven) {
        return SurrogateStream.viaGateway(channel, modelName, version, eventDriven);
    }

    /** A stream through the gateway opened with {@code open} as given (e.g. {@code precision = "int8"}). */
    public SurrogateStream openStream(io.neurosurrogate.proto.v1.StreamOpen open) {
        return SurrogateStream.viaGateway(channel, open);
    }

    /** The channel to the gateway, for stubs of services this class does not wrap (the Open Inference Protocol's). */
    public io.grpc.Channel channel() {
        return channel;
    }

    /** The raw blocking stub, for calls this class does not wrap. */
    public NeuroSurrogateGrpc.NeuroSurrogateBlockingStub stub() {
        return stub;
    }

    public Campaign startCampaign(CampaignSpec spec) {
        return stub.startCampaign(spec);
    }

    public Campaign getCampaign(String campaignId) {
        return stub.getCampaign(GetCampaignRequest.newBuilder().setCampaignId(campaignId).build());
    }

    /** Follows a campaign until it ends, passing every status update to {@code progress}. */
    public Campaign awaitCampaign(String campaignId, Consumer<Campaign> progress) {
        Campaign last = null;
        Iterator<Campaign> it = stub.watchCampaign(GetCampaignRequest.newBuilder().setCampaignId(campaignId).build());
        while (it.hasNext()) {
            last = it.next();
            progress.accept(last);
        }
        if (last == null || !isFinal(last.getState())) {
            last = getCampaign(campaignId);
        }
        return last;
    }

    public static boolean isFinal(CampaignState s) {
        return s == CampaignState.CAMPAIGN_STATE_SUCCEEDED || s == CampaignState.CAMPAIGN_STATE_FAILED
                || s == CampaignState.CAMPAIGN_STATE_CANCELLED;
    }

    public static boolean isFinal(JobState s) {
        return s == JobState.JOB_STATE_SUCCEEDED || s == JobState.JOB_STATE_FAILED || s == JobState.JOB_STATE_CANCELLED;
    }

    public SimulateResponse simulate(SimulateRequest request) {
        return stub.simulate(request);
    }

    public TrainingJob startTraining(TrainingJobSpec spec) {
        return stub.startTraining(spec);
    }

    /** Follows a training job until it ends; returns its last progress report. */
    public TrainingProgress awaitTraining(String jobId, Consumer<TrainingProgress> progress) {
        TrainingProgress last = null;
        Iterator<TrainingProgress> it = stub.watchTraining(GetTrainingJobRequest.newBuilder().setJobId(jobId).build());
        while (it.hasNext()) {
            last = it.next();
            progress.accept(last);
        }
        if (last == null || !isFinal(last.getState())) {
            last = getTrainingJob(jobId).getLatest();
        }
        return last;
    }

    /** The job with its spec and latest progress report. */
    public TrainingJob getTrainingJob(String jobId) {
        return stub.getTrainingJob(GetTrainingJobRequest.newBuilder().setJobId(jobId).build());
    }

    /** Cancels a queued or running job (it ends CANCELLED); a finished job comes back unchanged. */
    public TrainingJob cancelTraining(String jobId) {
        return stub.cancelTraining(GetTrainingJobRequest.newBuilder().setJobId(jobId).build());
    }

    /** Every training job the trainers know, with its latest progress report. */
    public List<TrainingJob> listTrainingJobs() {
        return stub.listTrainingJobs(ListTrainingJobsRequest.getDefaultInstance()).getJobsList();
    }

    public List<ModelVersion> listModels() {
        return stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
    }

    /** Waits until the inference service has loaded this model version. */
    public ModelVersion awaitModelLoaded(String modelName, int version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ModelVersion> m = listModels().stream()
                    .filter(v -> v.getModelName().equals(modelName) && v.getVersion() == version && v.getLoaded())
                    .findFirst();
            if (m.isPresent()) {
                return m.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("model " + modelName + " v" + version + " not loaded after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    public PredictResponse predict(PredictRequest request) {
        return stub.predict(request);
    }

    /**
     * Predicts whole simulations (the packed spike encoding on the wire): spike probability and soma
     * voltage for every 1 ms bin of each trace. All traces must have the same duration.
     */
    public PredictResponse predict(String modelName, String version, List<SimulationTrace> traces) {
        return stub.predict(packedRequest(modelName, version, traces));
    }

    /** A Predict request of whole simulations, their input spikes packed (PackedSpikes, [trace][bin]). */
    public static PredictRequest packedRequest(String modelName, String version, List<SimulationTrace> traces) {
        int duration = traces.get(0).durationMs();
        int synapses = traces.get(0).synapses();
        SpikePacking.Builder packed = new SpikePacking.Builder(traces.size(), duration);
        for (int n = 0; n < traces.size(); n++) {
            SimulationTrace t = traces.get(n);
            if (t.durationMs() != duration || t.synapses() != synapses) {
                throw new IllegalArgumentException("all traces of one request need the same duration and synapse count");
            }
            for (int s = 0; s < synapses; s++) {
                for (int bin : t.spikeBins(s)) {
                    packed.add(n, bin, s);
                }
            }
        }
        return PredictRequest.newBuilder().setModelName(modelName).setVersion(version)
                .setBatch(traces.size()).setSynapses(synapses).setTimeMs(duration).setPacked(packed.build()).build();
    }

    @Override
    public void close() {
        connection.shutdownNow();
        try {
            connection.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

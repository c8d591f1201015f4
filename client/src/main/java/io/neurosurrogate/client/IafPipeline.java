package io.neurosurrogate.client;

import io.neurosurrogate.core.metrics.HeldOutScores;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The main job through the public API, for the integrate-and-fire neuron: a simulation campaign
 * (traces over Kafka), training of the paper's I&amp;F surrogate, serving, and prediction of fresh
 * held-out simulations scored against the simulator. Used by {@code nsurr demo} and the e2e test.
 */
public final class IafPipeline {

    /** What to run; {@code epochs} 0 = the trainer's default. */
    public record Settings(int sims, int durationMs, long seed, int heldOut, int epochs, String preset, String model) {
        public static Settings demo() {
            return new Settings(128, 6000, 1, 16, 0, "iaf-reset", "iaf-demo");
        }
    }

    /** Receives stage headings and detail lines. */
    public interface Listener {
        void stage(String heading);

        void detail(String line);
    }

    public record Result(int sims, Campaign campaign, ModelVersion model, HeldOutScores heldOut, double simMsPerS,
                         double surrogateMsPerS, double surrogateWallMsPerS) {
        public double speedup() {
            return surrogateMsPerS / simMsPerS;
        }

        public String resultLine() {
            return String.format(Locale.ROOT, "RESULT neuron=iaf sims=%d auc=%.4f rmse_mv=%.3f var_explained=%.3f sim_ms_per_s=%.0f"
                            + " surrogate_ms_per_s=%.0f speedup=%.3f", sims, heldOut.auc(), heldOut.rmseMv(), heldOut.varianceExplained(),
                    simMsPerS, surrogateMsPerS, speedup());
        }
    }

    private final NeuroSurrogateClient client;
    private final Listener listener;

    public IafPipeline(NeuroSurrogateClient client, Listener listener) {
        this.client = client;
        this.listener = listener;
    }

    public Result run(Settings s) throws InterruptedException {
        Campaign campaign = simulate(s);
        ModelVersion model = train(s, campaign);

        listener.stage("serving: waiting for the inference service to load " + s.model() + " v" + model.getVersion());
        client.awaitModelLoaded(s.model(), model.getVersion(), Duration.ofMinutes(2));
        listener.detail("loaded (artifact fetched from the trainer, sha256 verified, ONNX Runtime session ready)");

        listener.stage("simulating " + s.heldOut() + " held-out neurons (new seeds) and predicting them with the surrogate");
        List<SimulationTrace> traces = new ArrayList<>();
        double engineSeconds = 0;
        for (int i = 0; i < s.heldOut(); i++) {
            SimulateResponse r = client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(s.durationMs())
                    .setSeed(s.seed() * 1_000_003L + 7_777_777L + i).build());
            traces.add(SimulationTrace.fromChunks(List.of(r.getTrace())));
            engineSeconds += r.getEngineSeconds();
        }
        long start = System.nanoTime();
        PredictResponse prediction = client.predict(s.model(), String.valueOf(model.getVersion()), traces);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        HeldOutScores eval = HeldOutEvaluation.of(traces, prediction, 500);
        double neuronMs = (double) s.heldOut() * s.durationMs();
        Result result = new Result(s.sims(), campaign, model, eval, neuronMs / engineSeconds,
                neuronMs / (prediction.getComputeMs() / 1000.0), neuronMs / wallSeconds);
        listener.detail(String.format(Locale.ROOT, "%d held-out bins, %d spikes: AUC %.4f, RMSE %.2f mV, variance explained %.3f",
                eval.bins(), eval.spikes(), eval.auc(), eval.rmseMv(), eval.varianceExplained()));
        listener.detail(String.format(Locale.ROOT, "simulator engine %.0f neuron-ms/s; surrogate %.0f neuron-ms/s (ONNX Runtime compute),"
                + " %.0f neuron-ms/s including the gRPC round trip", result.simMsPerS(), result.surrogateMsPerS(), result.surrogateWallMsPerS()));
        return result;
    }

    private Campaign simulate(Settings s) {
        listener.stage("simulating " + s.sims() + " I&F neurons x " + s.durationMs() + " ms (campaign -> Kafka ns.traces.v1)");
        Campaign campaign = client.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(s.sims())
                .setDurationMs(s.durationMs()).setSeed(s.seed()).setName("demo").build());
        int[] lastShown = {-1};
        campaign = client.awaitCampaign(campaign.getCampaignId(), c -> {
            if (c.getCompleted() != lastShown[0]) {
                lastShown[0] = c.getCompleted();
                listener.detail(String.format(Locale.ROOT, "campaign %s: %d/%d simulations published, %d chunks",
                        c.getCampaignId(), c.getCompleted(), c.getSpec().getCount(), c.getChunksPublished()));
            }
        });
        if (campaign.getState() != CampaignState.CAMPAIGN_STATE_SUCCEEDED) {
            throw new IllegalStateException("campaign " + campaign.getCampaignId() + " ended " + campaign.getState() + ": " + campaign.getError());
        }
        return campaign;
    }

    private ModelVersion train(Settings s, Campaign campaign) {
        listener.stage("training " + s.preset() + " on the campaign's traces (DL4J), evaluating, exporting ONNX");
        TrainingConfig.Builder config = TrainingConfig.newBuilder().setSeed(s.seed());
        if (s.epochs() > 0) {
            config.setEpochs(s.epochs());
        }
        TrainingJob job = client.startTraining(TrainingJobSpec.newBuilder().setModelName(s.model()).setNeuronModel("iaf")
                .setCampaignId(campaign.getCampaignId()).setMinSimulations(s.sims())
                .setArchitecture(Architecture.newBuilder().setPreset(s.preset())).setConfig(config).build());
        TrainingProgress done = client.awaitTraining(job.getJobId(), p -> listener.detail(describe(p)));
        if (done.getState() != JobState.JOB_STATE_SUCCEEDED) {
            throw new IllegalStateException("training job " + job.getJobId() + " ended " + done.getState() + ": " + done.getError());
        }
        ModelVersion trained = done.getModel();
        var m = trained.getCard().getMetrics();
        listener.detail(String.format(Locale.ROOT, "model %s v%d: test AUC %.4f, RMSE %.2f mV, ONNX parity %.1e, sha256 %s...",
                trained.getModelName(), trained.getVersion(), m.getSpikeAuc(), m.getSomaRmseMv(), m.getOnnxMaxAbsDiff(),
                trained.getSha256().substring(0, Math.min(12, trained.getSha256().length()))));
        return trained;
    }

    /** One line per progress report. */
    public static String describe(TrainingProgress p) {
        String state = p.getState().name().replace("JOB_STATE_", "").toLowerCase(Locale.ROOT);
        if (p.getEpoch() > 0 && p.getState() == JobState.JOB_STATE_TRAINING) {
            return String.format(Locale.ROOT, "%s epoch %d/%d loss %.4f val_loss %.4f val_auc %.4f eta %.0fs", state, p.getEpoch(),
                    p.getEpochs(), p.getTrainLoss(), p.getValLoss(), p.getValAuc(), p.getEtaS());
        }
        return state + (p.getMessage().isEmpty() ? "" : ": " + p.getMessage()) + (p.getError().isEmpty() ? "" : " error: " + p.getError());
    }
}

package io.neurosurrogate.cli;

import io.neurosurrogate.client.HeldOutEvaluation;
import io.neurosurrogate.client.NeuroSurrogateClient;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The main job, end to end for the integrate-and-fire neuron: simulate a campaign (traces over
 * Kafka), train the paper's I&amp;F surrogate, serve it, predict held-out simulations, score them.
 * Ends with one {@code RESULT ...} line on stdout.
 */
@Command(name = "demo", description = "Run the whole pipeline for the I&F neuron and print a RESULT line.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--sims", description = "simulations in the training campaign (default ${DEFAULT-VALUE})")
    int sims = 128;

    @Option(names = "--duration-ms", description = "neuron time per simulation (default ${DEFAULT-VALUE})")
    int durationMs = 6000;

    @Option(names = "--seed", description = "campaign seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--held-out", description = "fresh simulations predicted by the served model (default ${DEFAULT-VALUE})")
    int heldOut = 16;

    @Option(names = "--epochs", description = "training epochs, 0 = the trainer's default")
    int epochs = 0;

    @Option(names = "--preset", description = "architecture preset (default ${DEFAULT-VALUE})")
    String preset = "iaf-1x1";

    @Option(names = "--model", description = "model name (default ${DEFAULT-VALUE})")
    String model = "iaf-demo";

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            DemoResult r = run(conn.client(), progress);
            progress.stage("done in " + String.format(Locale.ROOT, "%.0f s", progress.elapsed()) + (conn.stack() != null ? ", stopping the local stack" : ""));
            System.out.println(r.resultLine());
            System.out.flush();
            return 0;
        }
    }

    DemoResult run(NeuroSurrogateClient client, Progress progress) throws InterruptedException {
        progress.stage("simulating " + sims + " I&F neurons x " + durationMs + " ms (campaign -> Kafka " + "ns.traces.v1)");
        Campaign campaign = client.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(sims)
                .setDurationMs(durationMs).setSeed(seed).setName("demo").build());
        int[] lastShown = {-1};
        campaign = client.awaitCampaign(campaign.getCampaignId(), c -> {
            if (c.getCompleted() != lastShown[0]) {
                lastShown[0] = c.getCompleted();
                progress.detail(String.format(Locale.ROOT, "campaign %s: %d/%d simulations published, %d chunks",
                        c.getCampaignId(), c.getCompleted(), c.getSpec().getCount(), c.getChunksPublished()));
            }
        });
        if (campaign.getState() != CampaignState.CAMPAIGN_STATE_SUCCEEDED) {
            throw new IllegalStateException("campaign " + campaign.getCampaignId() + " ended " + campaign.getState() + ": " + campaign.getError());
        }

        progress.stage("training " + preset + " on the campaign's traces (DL4J), exporting ONNX");
        TrainingConfig.Builder config = TrainingConfig.newBuilder().setSeed(seed);
        if (epochs > 0) {
            config.setEpochs(epochs);
        }
        TrainingJob job = client.startTraining(TrainingJobSpec.newBuilder().setModelName(model).setNeuronModel("iaf")
                .setCampaignId(campaign.getCampaignId()).setMinSimulations(sims)
                .setArchitecture(Architecture.newBuilder().setPreset(preset)).setConfig(config).build());
        TrainingProgress done = client.awaitTraining(job.getJobId(), p -> progress.detail(describe(p)));
        if (done.getState() != JobState.JOB_STATE_SUCCEEDED) {
            throw new IllegalStateException("training job " + job.getJobId() + " ended " + done.getState() + ": " + done.getError());
        }
        ModelVersion trained = done.getModel();
        var m = trained.getCard().getMetrics();
        progress.detail(String.format(Locale.ROOT, "model %s v%d: test AUC %.4f, RMSE %.2f mV, ONNX parity %.1e, sha256 %s",
                trained.getModelName(), trained.getVersion(), m.getSpikeAuc(), m.getSomaRmseMv(), m.getOnnxMaxAbsDiff(),
                trained.getSha256().substring(0, 12)));

        progress.stage("serving: waiting for the inference service to load " + model + " v" + trained.getVersion());
        client.awaitModelLoaded(model, trained.getVersion(), Duration.ofMinutes(2));
        progress.detail("loaded (artifact fetched from the trainer, sha256 verified, ONNX Runtime session ready)");

        progress.stage("simulating " + heldOut + " held-out neurons (new seeds) and predicting them with the surrogate");
        List<SimulationTrace> traces = new ArrayList<>();
        double engineSeconds = 0;
        for (int i = 0; i < heldOut; i++) {
            SimulateResponse r = client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(durationMs)
                    .setSeed(seed * 1_000_003L + 7_777_777L + i).build());
            traces.add(SimulationTrace.fromChunks(List.of(r.getTrace())));
            engineSeconds += r.getEngineSeconds();
        }
        long start = System.nanoTime();
        PredictResponse prediction = client.predict(model, String.valueOf(trained.getVersion()), traces);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        HeldOutEvaluation eval = HeldOutEvaluation.of(traces, prediction, 500);
        double neuronMs = (double) heldOut * durationMs;
        double simMsPerS = neuronMs / engineSeconds;
        double surrogateMsPerS = neuronMs / (prediction.getComputeMs() / 1000.0);
        progress.detail(String.format(Locale.ROOT, "%d held-out bins, %d spikes: AUC %.4f, RMSE %.2f mV, variance explained %.3f",
                eval.bins(), eval.spikes(), eval.auc(), eval.rmseMv(), eval.varianceExplained()));
        progress.detail(String.format(Locale.ROOT, "simulator engine %.0f neuron-ms/s; surrogate (ONNX Runtime compute) %.0f neuron-ms/s,"
                + " %.0f neuron-ms/s including gRPC round trip", simMsPerS, surrogateMsPerS, neuronMs / wallSeconds));
        return new DemoResult(sims, eval, simMsPerS, surrogateMsPerS);
    }

    static String describe(TrainingProgress p) {
        String state = p.getState().name().replace("JOB_STATE_", "").toLowerCase(Locale.ROOT);
        if (p.getEpoch() > 0 && p.getState() == JobState.JOB_STATE_TRAINING) {
            return String.format(Locale.ROOT, "%s epoch %d/%d loss %.4f val_loss %.4f val_auc %.4f eta %.0fs", state, p.getEpoch(),
                    p.getEpochs(), p.getTrainLoss(), p.getValLoss(), p.getValAuc(), p.getEtaS());
        }
        return state + (p.getMessage().isEmpty() ? "" : ": " + p.getMessage()) + (p.getError().isEmpty() ? "" : " error: " + p.getError());
    }

    record DemoResult(int sims, HeldOutEvaluation eval, double simMsPerS, double surrogateMsPerS) {
        String resultLine() {
            return String.format(Locale.ROOT, "RESULT neuron=iaf sims=%d auc=%.4f rmse_mv=%.3f var_explained=%.3f sim_ms_per_s=%.0f"
                            + " surrogate_ms_per_s=%.0f speedup=%.3f", sims, eval.auc(), eval.rmseMv(), eval.varianceExplained(),
                    simMsPerS, surrogateMsPerS, surrogateMsPerS / simMsPerS);
        }
    }
}

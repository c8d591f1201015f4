package io.neurosurrogate.cli;

import io.grpc.StatusRuntimeException;
import io.neurosurrogate.client.IafPipeline;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Starts a training job and streams its progress; with {@code --sim-minutes} it first simulates that
 * much neuron time in a campaign of its own and trains on exactly that campaign. Ends with one
 * {@code RESULT ...} line on stdout (progress goes to stderr).
 */
@Command(name = "train", description = "Train a surrogate on stored simulations (or on a fresh campaign: --sim-minutes) and follow its progress.")
final class TrainCommand implements Callable<Integer> {
    /** Neuron time per simulation of a --sim-minutes campaign: the paper's 6 s simulations (Beniaguev et al. 2021). */
    static final int SIMULATION_MS = 6000;

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--model", required = true, description = "model name")
    String model;

    @Option(names = "--neuron", description = "neuron model of the dataset (default ${DEFAULT-VALUE})")
    String neuron = "iaf";

    @Option(names = "--campaign", description = "only this campaign's simulations")
    String campaign = "";

    @Option(names = "--sim-minutes", description = "first simulate this many minutes of --neuron (6 s simulations) and train on that campaign only")
    double simMinutes;

    @Option(names = "--engine", description = "simulator for --sim-minutes: java or neuron (default ${DEFAULT-VALUE})")
    String engine = "java";

    @Option(names = "--preset", description = "architecture preset (default ${DEFAULT-VALUE})")
    String preset = "iaf-reset";

    @Option(names = "--first-layer", description = "first conv trained dense (the paper's), factorised, or auto (default: auto)")
    String firstLayer = "";

    @Option(names = "--mixing-rank", description = "factorised first layer: channels the synapses are mixed into before the temporal conv"
            + " (0 = the layer's width); fewer make the event-driven stream cheaper")
    int mixingRank;

    @Option(names = "--residual", description = "residual connections wherever a layer keeps its width (keeps deep ReLU nets alive)")
    boolean residual;

    @Option(names = "--dendritic-head", description = "also predict the apical nexus voltage (a third head; l5pc-* datasets)")
    boolean dendriticHead;

    @Option(names = "--epochs", description = "0 = default")
    int epochs;

    @Option(names = "--max-train-minutes", description = "wall-clock budget for the epochs; the best model so far is evaluated when it is spent (0 = none)")
    double maxTrainMinutes;

    @Option(names = "--batch-size", description = "windows per step, 0 = default")
    int batchSize;

    @Option(names = "--window-ms", description = "training window, 0 = default")
    int windowMs;

    @Option(names = "--min-sims", description = "wait until the dataset holds this many simulations (with --sim-minutes: the campaign's count)")
    int minSims;

    @Option(names = "--seed", description = "training (and --sim-minutes campaign) seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--voltage-weight", description = "weight of the voltage MSE next to the spike BCE, 0 = default")
    double voltageWeight;

    @Option(names = "--learning-rate", description = "0 = default")
    double learningRate;

    @Option(names = "--windows-per-epoch", description = "0 = default")
    int windowsPerEpoch;

    @Option(names = "--report-dir", description = "download the model's report files (metrics.json, plots) into DIR/<model>/<version>/")
    Path reportDir;

    @Override
    public Integer call() throws Exception {
        validate();
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            NeuroSurrogateClient client = conn.client();
            String campaignId = campaign;
            int waitFor = minSims;
            if (simMinutes > 0) {
                Campaign c = simulate(client, progress);
                campaignId = c.getCampaignId();
                waitFor = minSims > 0 ? minSims : c.getCompleted();
            }
            TrainingJob job = client.startTraining(trainingSpec(campaignId, waitFor));
            progress.stage("training job " + job.getJobId() + ": " + preset + " on " + neuron
                    + (campaignId.isEmpty() ? "" : " (campaign " + campaignId + ")"));
            ProgressTally tally = new ProgressTally();
            TrainingProgress p = client.awaitTraining(job.getJobId(), x -> {
                tally.accept(x);
                progress.detail(IafPipeline.describe(x) + (x.getSamplesPerS() > 0
                        ? String.format(Locale.ROOT, ", %.0f samples/s on %s", x.getSamplesPerS(), x.getBackend()) : ""));
            });
            tally.accept(p);
            if (p.getState() != JobState.JOB_STATE_SUCCEEDED) {
                System.out.println("RESULT job=" + job.getJobId() + " state=" + p.getState() + " error=" + p.getError().replace(' ', '_'));
                return 1;
            }
            showReports(client, p.getModel(), progress);
            System.out.println(resultLine(p.getModel(), tally));
            System.out.flush();
            return 0;
        }
    }

    void validate() {
        if (simMinutes < 0 || maxTrainMinutes < 0) {
            throw new IllegalArgumentException("--sim-minutes and --max-train-minutes must not be negative");
        }
        if (simMinutes > 0 && !campaign.isEmpty()) {
            throw new IllegalArgumentException("--sim-minutes runs a campaign of its own; leave out --campaign");
        }
        if (!engine.equals("java") && !engine.equals("neuron")) {
            throw new IllegalArgumentException("--engine must be java or neuron, got " + engine);
        }
    }

    /** Simulations of {@value #SIMULATION_MS} ms that hold {@code minutes} of neuron time: ceil(minutes x 60 / 6). */
    static int simulationsFor(double minutes) {
        // Decimal arithmetic: 0.3 min is exactly 3 simulations, not ceil(3.0000000000000004) = 4.
        return new BigDecimal(Double.toString(minutes)).multiply(BigDecimal.valueOf(60_000))
                .divide(BigDecimal.valueOf(SIMULATION_MS), 0, RoundingMode.CEILING).intValueExact();
    }

    CampaignSpec campaignSpec() {
        return CampaignSpec.newBuilder().setNeuronModel(neuron).setEngine(engine).setCount(simulationsFor(simMinutes))
                .setDurationMs(SIMULATION_MS).setSeed(seed).setName("train-" + model).build();
    }

    TrainingJobSpec trainingSpec(String campaignId, int waitForSimulations) {
        TrainingConfig config = TrainingConfig.newBuilder().setSeed(seed).setEpochs(epochs).setVoltageLossWeight(voltageWeight)
                .setLearningRate(learningRate).setWindowsPerEpoch(windowsPerEpoch).setBatchSize(batchSize).setWindowMs(windowMs)
                .setMaxTrainS((int) Math.round(maxTrainMinutes * 60)).build();
        return TrainingJobSpec.newBuilder().setModelName(model).setNeuronModel(neuron).setCampaignId(campaignId)
                .setMinSimulations(waitForSimulations)
                .setArchitecture(Architecture.newBuilder().setPreset(preset).setFirstLayer(firstLayer).setMixingRank(mixingRank).setDendriticHead(dendriticHead).setResidual(residual))
                .setConfig(config).build();
    }

    private Campaign simulate(NeuroSurrogateClient client, Progress progress) {
        return simulate(client, progress, campaignSpec());
    }

    /** Runs a campaign through the gateway with progress shown; fails unless it succeeds. */
    static Campaign simulate(NeuroSurrogateClient client, Progress progress, CampaignSpec spec) {
        progress.stage(String.format(Locale.ROOT, "simulating %.4g min of %s (%s engine): %d x %d ms, seed %d",
                spec.getCount() * spec.getDurationMs() / 60_000.0, spec.getNeuronModel(), spec.getEngine(), spec.getCount(),
                spec.getDurationMs(), spec.getSeed()));
        Campaign c = client.startCampaign(spec);
        int[] shown = {-1};
        c = client.awaitCampaign(c.getCampaignId(), s -> {
            if (s.getCompleted() != shown[0]) {
                shown[0] = s.getCompleted();
                progress.detail(String.format(Locale.ROOT, "campaign %s: %d/%d simulations published, %d chunks, %.0f sim-ms/s per worker",
                        s.getCampaignId(), s.getCompleted(), spec.getCount(), s.getChunksPublished(), s.getSimMsPerS()));
            }
        });
        if (c.getState() != CampaignState.CAMPAIGN_STATE_SUCCEEDED) {
            throw new IllegalStateException("campaign " + c.getCampaignId() + " ended " + c.getState() + ": " + c.getError());
        }
        return c;
    }

    private void showReports(NeuroSurrogateClient client, ModelVersion m, Progress progress) {
        if (m.getReportFilesCount() == 0) {
            progress.detail("no report files");
            return;
        }
        progress.stage("report files of " + m.getModelName() + " v" + m.getVersion() + " (trainer model store)");
        for (String file : m.getReportFilesList()) {
            progress.detail(m.getModelName() + "/" + m.getVersion() + "/" + file);
        }
        if (reportDir == null) {
            progress.detail("(--report-dir DIR downloads them)");
            return;
        }
        Path dir = reportDir.resolve(m.getModelName()).resolve(Integer.toString(m.getVersion()));
        for (String file : m.getReportFilesList()) {
            try {
                Path saved = fetch(client, m, file, dir);
                progress.detail("saved " + saved);
            } catch (StatusRuntimeException | IOException | IllegalStateException e) {
                // The model is trained and stored either way; a missing report copy is not a failed job.
                progress.detail("could not download " + file + ": " + Errors.describe(e));
            }
        }
    }

    /** Streams one report file through the gateway's FetchArtifact and checks its sha256 when the server sends one. */
    private static Path fetch(NeuroSurrogateClient client, ModelVersion m, String file, Path dir) throws IOException {
        Path target = dir.resolve(file).normalize();
        if (!target.startsWith(dir)) {
            throw new IllegalStateException("report file name " + file + " leaves the report directory");
        }
        Files.createDirectories(target.getParent());
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String expected = "";
        Iterator<ArtifactChunk> chunks = client.stub().fetchArtifact(FetchArtifactRequest.newBuilder()
                .setModelName(m.getModelName()).setVersion(m.getVersion()).setFile(file).build());
        try (OutputStream out = Files.newOutputStream(target)) {
            while (chunks.hasNext()) {
                ArtifactChunk c = chunks.next();
                if (!c.getSha256().isEmpty()) {
                    expected = c.getSha256();
                }
                byte[] data = c.getData().toByteArray();
                sha.update(data);
                out.write(data);
            }
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!expected.isEmpty() && !expected.equalsIgnoreCase(actual)) {
            Files.deleteIfExists(target);
            throw new IllegalStateException("sha256 mismatch for " + file + ": expected " + expected + ", got " + actual);
        }
        return target;
    }

    /** {@code RESULT neuron= preset= auc= rmse_mv= hit_at_0.25pct= var_explained= train_ms_per_s= epochs= backend= model=name/version},
     * then {@code nexus_rmse_mv= nexus_var_explained=} for a model with the dendritic head, and
     * {@code int8_form= int8_auc= int8_rmse_mv=} for a model with an int8 stream form. */
    String resultLine(ModelVersion m, ProgressTally tally) {
        var card = m.getCard();
        var metrics = card.getMetrics();
        String backend = !tally.backend.isEmpty() ? tally.backend : card.getBackend().isEmpty() ? "unknown" : card.getBackend();
        return String.format(Locale.ROOT, "RESULT neuron=%s preset=%s auc=%.4f rmse_mv=%.3f hit_at_0.25pct=%.4f var_explained=%.3f"
                        + " train_ms_per_s=%.0f epochs=%d backend=%s model=%s/%d",
                card.getNeuronModel().isEmpty() ? neuron : card.getNeuronModel(), card.getPreset().isEmpty() ? preset : card.getPreset(),
                metrics.getSpikeAuc(), metrics.getSomaRmseMv(), metrics.getHitRateAt0P25Fa(), metrics.getVarianceExplained(),
                tally.samplesPerS, tally.epochs, backend, m.getModelName(), m.getVersion())
                + (card.getDendriteOutputName().isEmpty() ? "" : String.format(Locale.ROOT, " nexus_rmse_mv=%.3f nexus_var_explained=%.3f",
                metrics.getNexusRmseMv(), metrics.getNexusVarianceExplained()))
                + (metrics.getInt8Form().isEmpty() ? "" : String.format(Locale.ROOT, " int8_form=%s int8_auc=%.4f int8_rmse_mv=%.3f",
                metrics.getInt8Form(), metrics.getInt8SpikeAuc(), metrics.getInt8SomaRmseMv()));
    }

    /** What the RESULT line needs from the progress stream: the last throughput seen, the backend, the epochs run. */
    static final class ProgressTally {
        double samplesPerS;
        String backend = "";
        int epochs;

        void accept(TrainingProgress p) {
            if (p.getSamplesPerS() > 0) {
                samplesPerS = p.getSamplesPerS();
            }
            if (!p.getBackend().isEmpty()) {
                backend = p.getBackend();
            }
            epochs = Math.max(epochs, p.getEpoch());
        }
    }
}

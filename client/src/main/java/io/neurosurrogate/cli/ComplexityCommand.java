package io.neurosurrogate.cli;

import io.neurosurrogate.client.complexity.ComplexityGrid;
import io.neurosurrogate.client.complexity.ComplexityHeatMap;
import io.neurosurrogate.client.complexity.ComplexityReport;
import io.neurosurrogate.client.complexity.ComplexitySweep;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The functional complexity of a neuron (Beniaguev, Segev &amp; London, Neuron 2021): trains a grid of
 * TCNs (depth x width, same receptive field, data, seed and config) and names the smallest that
 * reaches the target spike AUC.
 */
@Command(name = "complexity", description = {
        "Train a depth x width grid of TCN surrogates on one dataset and name the smallest network that reaches a target "
                + "spike AUC (the neuron's functional complexity, Beniaguev et al. 2021: L5PC with NMDA synapses 7 x 128 at 0.991).",
        "Writes complexity.json and complexity.png into --out. Ctrl-C cancels the unfinished jobs and keeps the finished results."})
final class ComplexityCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--neuron", required = true, description = "neuron model of the dataset, e.g. iaf, l5pc-nmda")
    String neuron;

    @Option(names = "--depths", description = "layer counts (default ${DEFAULT-VALUE})")
    String depths = "1,2,3,5,7";

    @Option(names = "--widths", description = "filters per layer (default ${DEFAULT-VALUE})")
    String widths = "16,32,64,128";

    @Option(names = "--target-auc", description = "test spike AUC a network must reach, in (0.5, 1] (default ${DEFAULT-VALUE})")
    double targetAuc = 0.991;

    @Option(names = "--campaign", description = "only this campaign's simulations")
    String campaign = "";

    @Option(names = "--sim-minutes", description = "first simulate this many minutes of --neuron (6 s simulations) and sweep on that campaign")
    double simMinutes;

    @Option(names = "--engine", description = "simulator for --sim-minutes: java or neuron (default ${DEFAULT-VALUE})")
    String engine = "java";

    @Option(names = "--receptive-field-ms", description = "total receptive field of every network; 0 = per neuron: iaf* 80, l5pc-ampa* 43, others 153")
    int receptiveFieldMs;

    @Option(names = "--epochs", description = "epochs per network, 0 = the trainer's default")
    int epochs;

    @Option(names = "--max-train-minutes", description = "wall-clock budget per network, 0 = none")
    double maxTrainMinutes;

    @Option(names = "--seed", description = "training seed, the same for every network (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--min-sims", description = "each job waits until the dataset holds this many simulations")
    int minSims;

    @Option(names = "--model-prefix", description = "model names are <prefix>-d<depth>-w<width> (default complexity-<neuron>)")
    String modelPrefix;

    @Option(names = "--out", description = "folder for complexity.json and complexity.png (default ./complexity-<neuron>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        ComplexityGrid grid = new ComplexityGrid(neuron, ComplexityGrid.parseList("--depths", depths),
                ComplexityGrid.parseList("--widths", widths), targetAuc, receptiveFieldMs, modelPrefix);
        if (maxTrainMinutes < 0 || maxTrainMinutes * 60 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--max-train-minutes must be >= 0, got " + maxTrainMinutes);
        }
        Path dir = out != null ? out : Path.of("complexity-" + grid.neuron());
        Files.createDirectories(dir); // fail before any training when the folder cannot be written

        Progress progress = new Progress(System.err);
        progress.stage(String.format(Locale.ROOT, "complexity of %s: %d networks (depths %s x widths %s), receptive field %d ms, target AUC %s",
                grid.neuron(), grid.size(), grid.depths(), grid.widths(), grid.receptiveFieldMs(), targetAuc));
        for (int d : grid.depths()) {
            progress.detail("depth " + d + ": kernels " + Arrays.toString(ComplexityGrid.kernelSizes(d, grid.receptiveFieldMs())) + " ms");
        }
        if (simMinutes < 0 || (simMinutes > 0 && !campaign.isEmpty())) {
            throw new IllegalArgumentException("--sim-minutes must be >= 0 and runs a campaign of its own (leave out --campaign)");
        }
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            String campaignId = campaign;
            int waitFor = minSims;
            if (simMinutes > 0) {
                Campaign c = TrainCommand.simulate(conn.client(), progress, CampaignSpec.newBuilder().setNeuronModel(grid.neuron())
                        .setEngine(engine).setCount(TrainCommand.simulationsFor(simMinutes)).setDurationMs(TrainCommand.SIMULATION_MS)
                        .setSeed(seed).setName("complexity-" + grid.neuron()).build());
                campaignId = c.getCampaignId();
                waitFor = minSims > 0 ? minSims : c.getCompleted();
            }
            TrainingJobSpec template = TrainingJobSpec.newBuilder().setCampaignId(campaignId).setMinSimulations(waitFor)
                    .setConfig(TrainingConfig.newBuilder().setSeed(seed).setEpochs(epochs).setMaxTrainS((int) Math.round(maxTrainMinutes * 60)))
                    .build();
            ComplexitySweep sweep = new ComplexitySweep(conn.client(), grid, template, progress::detail);
            // Ctrl-C: the JVM runs this hook instead of returning from run(); it cancels the unfinished
            // jobs and writes what has arrived, so finished networks are not lost.
            Thread onInterrupt = new Thread(() -> {
                progress.detail("interrupted: cancelling unfinished jobs, keeping finished results");
                finish(sweep.stop(), dir, progress);
            }, "ns-complexity-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            progress.stage("training " + grid.size() + " networks through " + conn.client().target());
            ComplexityReport report = sweep.run();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                onInterrupt.join(); // the hook reports; keep the connection open until it has
                return 1;
            }
            finish(report, dir, progress);
            return report.failed() == 0 ? 0 : 1;
        }
    }

    /** Table and RESULT line on stdout, JSON and heat map into {@code dir}. */
    private static void finish(ComplexityReport report, Path dir, Progress progress) {
        try {
            Files.writeString(dir.resolve("complexity.json"), report.json(), StandardCharsets.UTF_8);
            Files.write(dir.resolve("complexity.png"), ComplexityHeatMap.png(report));
            progress.detail("wrote " + dir.resolve("complexity.json") + " and " + dir.resolve("complexity.png"));
        } catch (IOException e) {
            progress.detail("could not write the report files into " + dir + ": " + e.getMessage());
        }
        System.out.print(report.table());
        System.out.println(report.resultLine());
        System.out.flush();
    }
}

package io.neurosurrogate.simulator.bench;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.cell.engine.CellRun;
import io.neurosurrogate.simulator.cell.engine.CompartmentalSimulation;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.morphology.DefaultL5pcMorphology;
import io.neurosurrogate.simulator.cell.morphology.Discretiser;
import io.neurosurrogate.simulator.cell.morphology.Morphologies;
import io.neurosurrogate.simulator.cell.neuron.NeuronInstallation;
import io.neurosurrogate.simulator.cell.neuron.NeuronRun;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.engine.BiophysicalCell;
import io.neurosurrogate.simulator.engine.NeuronBackendEngine;
import io.neurosurrogate.simulator.engine.NeuronResponse;
import io.neurosurrogate.simulator.engine.TraceComparison;
import io.neurosurrogate.simulator.input.GeneratedInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code nsurr bench simulator}: the Java engine and NEURON on the same model description and the
 * same input, one after the other in one run, single-threaded; speeds are simulated ms per wall
 * second of the integration loop alone (model building, process start and file exchange excluded on
 * both sides). Ends with one RESULT line.
 *
 * <p>Arguments: {@code --neuron l5pc-nmda|l5pc-ampa} {@code --morphology FILE} (default: the built-in
 * cell) {@code --duration-ms N} (6000) {@code --seed N} (2) {@code --repeats N} (1; Java runs repeated,
 * best kept: the JIT warms up on the first).
 */
public final class SimulatorBenchmark {

    private SimulatorBenchmark() {
    }

    public static void main(String[] args) {
        String neuronModel = "l5pc-nmda";
        Path morphology = null;
        int durationMs = 6000;
        long seed = 2;
        int repeats = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--neuron" -> { neuronModel = v; i++; }
                case "--morphology" -> { morphology = Path.of(v); i++; }
                case "--duration-ms" -> { durationMs = Integer.parseInt(v); i++; }
                case "--seed" -> { seed = Long.parseLong(v); i++; }
                case "--repeats" -> { repeats = Integer.parseInt(v); i++; }
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (use --neuron, --morphology, --duration-ms, --seed, --repeats)");
            }
        }
        boolean nmda = switch (neuronModel) {
            case "l5pc-nmda" -> true;
            case "l5pc-ampa" -> false;
            default -> throw new IllegalArgumentException("--neuron must be l5pc-nmda or l5pc-ampa, got " + neuronModel);
        };
        if (morphology != null && !Files.isReadable(morphology)) {
            throw new IllegalArgumentException("morphology file " + morphology + " cannot be read");
        }
        CellGeometry geometry = Discretiser.hay().discretise(
                morphology == null ? DefaultL5pcMorphology.generate() : Morphologies.load(morphology));
        String morphologyName = morphology == null ? "builtin-l5pc" : morphology.getFileName().toString();
        BiophysicalCell cell = new BiophysicalCell(neuronModel, morphologyName, geometry, nmda);
        GeneratedInput input = cell.inputGenerator(InputStatistics.getDefaultInstance()).generate(durationMs, seed);
        long inputSpikes = 0;
        for (int[] bins : input.spikes().spikeBins()) {
            inputSpikes += bins.length;
        }
        System.out.printf(Locale.ROOT, "[bench] %s on %s: %d segments, %d synapses, %d ms, %.1f input spikes per ms%n",
                neuronModel, morphologyName, geometry.totalSegments(), cell.synapses(), durationMs, (double) inputSpikes / durationMs);

        double bestJava = Double.MAX_VALUE;
        NeuronResponse java = null;
        for (int r = 0; r < Math.max(1, repeats); r++) {
            CellRun run = new CompartmentalSimulation(cell.model(), cell.tree(), BiophysicalCell.DT_MS)
                    .run(input.spikes().spikeBins(), durationMs, BiophysicalCell.SPIKE_THRESHOLD_MV, false, new int[0]);
            bestJava = Math.min(bestJava, run.runSeconds());
            java = new NeuronResponse(run.somaMv(), run.spikeTimesMs());
            System.out.printf(Locale.ROOT, "[bench] java engine run %d: %.2f s (%.1f simulated ms per s), %d spikes%n",
                    r + 1, run.runSeconds(), durationMs / run.runSeconds(), run.spikeTimesMs().length);
        }
        double javaMsPerS = durationMs / bestJava;

        String neuronFigure = "na";
        String ratio = "na";
        String rmse = "na";
        String match = "na";
        NeuronInstallation installation = NeuronInstallation.system();
        if (installation.isAvailable()) {
            NeuronRun run = new NeuronSimulator(installation).run(cell.model(), input.spikes().spikeBins(), durationMs, BiophysicalCell.DT_MS);
            NeuronResponse nrn = NeuronBackendEngine.toResponse(run.somaMv(), durationMs, BiophysicalCell.DT_MS);
            double neuronMsPerS = durationMs / run.runSeconds();
            TraceComparison c = TraceComparison.of(java, nrn, BiophysicalCell.CLIP_MV, 1.0);
            System.out.printf(Locale.ROOT, "[bench] NEURON: %.2f s (%.1f simulated ms per s), %d spikes; Java vs NEURON: clipped soma RMSE %.5f mV, %d/%d spikes matched within 1 ms%n",
                    run.runSeconds(), neuronMsPerS, c.spikesB(), c.clippedRmseMv(), c.matched(), Math.max(c.spikesA(), c.spikesB()));
            neuronFigure = fmt(neuronMsPerS);
            ratio = String.format(Locale.ROOT, "%.3f", javaMsPerS / neuronMsPerS);
            rmse = String.format(Locale.ROOT, "%.5f", c.clippedRmseMv());
            match = String.format(Locale.ROOT, "%.4f", c.spikeMatch());
        } else {
            System.out.println("[bench] NEURON is not available: " + installation.unavailableReason().orElse(""));
        }
        System.out.printf(Locale.ROOT, "RESULT neuron=%s segments=%d java_sim_ms_per_s=%s neuron_sim_ms_per_s=%s ratio=%s v_rmse_mv=%s spike_match=%s%n",
                neuronModel, geometry.totalSegments(), fmt(javaMsPerS), neuronFigure, ratio, rmse, match);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

package io.neurosurrogate.simulator.bench;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
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
import io.neurosurrogate.simulator.engine.IntegrateAndFireEngine;
import io.neurosurrogate.simulator.engine.NeuronResponse;
import io.neurosurrogate.simulator.engine.SynapticInput;
import io.neurosurrogate.simulator.input.GeneratedInput;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The simulator half of {@code nsurr bench speedup}, run in a child JVM on this service's classpath:
 * generates one simulation's input exactly as {@link SimulatorBenchmark} (and the service) does, times
 * the Java engine (best of {@value #JAVA_RUNS} runs, single thread) and, for the {@code l5pc-*} cells
 * when it is installed, NEURON, in simulated ms per wall second of the integration loop alone; writes
 * the input spike trains to a file for the surrogate half, and prints one line:
 * {@code SIM synapses=<n> input_spikes_per_ms=<x> java_sim_ms_per_s=<x> neuron_sim_ms_per_s=<x|na>}.
 * Progress goes to stderr.
 *
 * <p>Arguments: {@code --neuron iaf|l5pc-ampa|l5pc-nmda} (required) {@code --duration-ms N} (2000)
 * {@code --seed N} (2) {@code --morphology FILE} (l5pc-* only; default: the built-in cell)
 * {@code --out FILE} (required): one length-delimited {@code SparseNeuronInput}, bins absolute from 0,
 * only synapses with at least one spike.
 */
public final class SpeedupSimulation {
    static final List<String> NEURONS = List.of(IntegrateAndFireEngine.NAME, "l5pc-ampa", "l5pc-nmda");
    static final int JAVA_RUNS = 2;
    /**
     * One I&amp;F simulation of a few seconds takes microseconds, below what a wall clock resolves well,
     * so each timed I&amp;F run repeats the integration until at least this much time has passed.
     */
    static final double MIN_IAF_RUN_S = 0.2;

    private SpeedupSimulation() {
    }

    /** What to simulate. */
    record Options(String neuron, int durationMs, long seed, Path morphology, Path out) {
        Options {
            if (neuron == null || !NEURONS.contains(neuron)) {
                throw new IllegalArgumentException("--neuron must be one of " + String.join(", ", NEURONS) + ", got " + neuron);
            }
            if (durationMs < 1) {
                throw new IllegalArgumentException("--duration-ms must be >= 1, got " + durationMs);
            }
            if (out == null) {
                throw new IllegalArgumentException("--out FILE is required (where the input spike trains go)");
            }
            if (morphology != null && neuron.equals(IntegrateAndFireEngine.NAME)) {
                throw new IllegalArgumentException("--morphology applies to the l5pc-* cells only, not to " + neuron);
            }
            if (morphology != null && !Files.isReadable(morphology)) {
                throw new IllegalArgumentException("morphology file " + morphology + " cannot be read");
            }
        }

        static Options parse(String... args) {
            String neuron = null;
            int durationMs = 2000;
            long seed = 2;
            Path morphology = null;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--neuron" -> neuron = v;
                        case "--duration-ms" -> durationMs = Integer.parseInt(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--morphology" -> morphology = Path.of(v);
                        case "--out" -> out = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown argument " + a
                                + " (use --neuron, --duration-ms, --seed, --morphology, --out)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + " needs a whole number, got " + v);
                }
            }
            return new Options(neuron, durationMs, seed, morphology, out);
        }
    }

    /** What one run measured; {@code neuronMsPerS} is NaN when NEURON did not run. */
    record Result(int synapses, long inputSpikes, int durationMs, double javaMsPerS, double neuronMsPerS) {
        double inputSpikesPerMs() {
            return (double) inputSpikes / durationMs;
        }

        String simLine() {
            return String.format(Locale.ROOT, "SIM synapses=%d input_spikes_per_ms=%.4f java_sim_ms_per_s=%.1f neuron_sim_ms_per_s=%s",
                    synapses, inputSpikesPerMs(), javaMsPerS,
                    Double.isNaN(neuronMsPerS) ? "na" : String.format(Locale.ROOT, "%.1f", neuronMsPerS));
        }
    }

    public static void main(String[] args) {
        try {
            Result r = run(Options.parse(args), System.err);
            System.out.println(r.simLine());
            System.out.flush();
        } catch (IllegalArgumentException e) {
            // Bad arguments: the message says what to change.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    static Result run(Options o, PrintStream log) {
        Result r = o.neuron().equals(IntegrateAndFireEngine.NAME) ? runIaf(o, log) : runL5pc(o, log);
        log.printf(Locale.ROOT, "[sim] input spike trains written to %s%n", o.out());
        return r;
    }

    private static Result runIaf(Options o, PrintStream log) {
        IntegrateAndFireEngine engine = new IntegrateAndFireEngine();
        GeneratedInput input = engine.inputGenerator(InputStatistics.getDefaultInstance()).generate(o.durationMs(), o.seed());
        long spikes = write(input.spikes(), o.out());
        log.printf(Locale.ROOT, "[sim] iaf: %d synapses, %d ms, %.2f input spikes per ms%n",
                input.spikes().synapses(), o.durationMs(), (double) spikes / o.durationMs());
        double best = 0;
        for (int r = 0; r < JAVA_RUNS; r++) {
            int repeats = 0;
            long outputSpikes = 0;
            long t0 = System.nanoTime();
            double seconds;
            do {
                NeuronResponse response = engine.simulate(input.spikes());
                outputSpikes += response.spikeTimesMs().length;
                repeats++;
                seconds = (System.nanoTime() - t0) / 1e9;
            } while (seconds < MIN_IAF_RUN_S);
            double msPerS = (double) repeats * o.durationMs() / seconds;
            best = Math.max(best, msPerS);
            log.printf(Locale.ROOT, "[sim] java engine run %d: %d simulations in %.2f s (%.0f simulated ms per s), %d spikes each%n",
                    r + 1, repeats, seconds, msPerS, outputSpikes / repeats);
        }
        log.println("[sim] NEURON: na (the I&F neuron has no NEURON version)");
        return new Result(input.spikes().synapses(), spikes, o.durationMs(), best, Double.NaN);
    }

    private static Result runL5pc(Options o, PrintStream log) {
        boolean nmda = o.neuron().equals("l5pc-nmda");
        CellGeometry geometry = Discretiser.hay().discretise(
                o.morphology() == null ? DefaultL5pcMorphology.generate() : Morphologies.load(o.morphology()));
        String morphologyName = o.morphology() == null ? "builtin-l5pc" : o.morphology().getFileName().toString();
        BiophysicalCell cell = new BiophysicalCell(o.neuron(), morphologyName, geometry, nmda);
        GeneratedInput input = cell.inputGenerator(InputStatistics.getDefaultInstance()).generate(o.durationMs(), o.seed());
        long spikes = write(input.spikes(), o.out());
        log.printf(Locale.ROOT, "[sim] %s on %s: %d segments, %d synapses, %d ms, %.2f input spikes per ms%n",
                o.neuron(), morphologyName, geometry.totalSegments(), cell.synapses(), o.durationMs(), (double) spikes / o.durationMs());
        double bestSeconds = Double.MAX_VALUE;
        for (int r = 0; r < JAVA_RUNS; r++) {
            CellRun run = new CompartmentalSimulation(cell.model(), cell.tree(), BiophysicalCell.DT_MS)
                    .run(input.spikes().spikeBins(), o.durationMs(), BiophysicalCell.SPIKE_THRESHOLD_MV, false, new int[0]);
            bestSeconds = Math.min(bestSeconds, run.runSeconds());
            log.printf(Locale.ROOT, "[sim] java engine run %d: %.2f s (%.1f simulated ms per s), %d spikes%n",
                    r + 1, run.runSeconds(), o.durationMs() / run.runSeconds(), run.spikeTimesMs().length);
        }
        double neuronMsPerS = Double.NaN;
        NeuronInstallation installation = NeuronInstallation.system();
        if (installation.isAvailable()) {
            NeuronRun run = new NeuronSimulator(installation).run(cell.model(), input.spikes().spikeBins(), o.durationMs(), BiophysicalCell.DT_MS);
            neuronMsPerS = o.durationMs() / run.runSeconds();
            log.printf(Locale.ROOT, "[sim] NEURON: %.2f s (%.1f simulated ms per s)%n", run.runSeconds(), neuronMsPerS);
        } else {
            log.println("[sim] NEURON: na (" + installation.unavailableReason().orElse("not available") + ")");
        }
        return new Result(cell.synapses(), spikes, o.durationMs(), o.durationMs() / bestSeconds, neuronMsPerS);
    }

    /** Writes the input as one length-delimited {@link SparseNeuronInput}; returns its spike count. */
    static long write(SynapticInput input, Path file) {
        SparseNeuronInput.Builder b = SparseNeuronInput.newBuilder();
        long spikes = 0;
        for (int s = 0; s < input.synapses(); s++) {
            int[] bins = input.spikeBins(s);
            if (bins.length == 0) {
                continue;
            }
            SynapseSpikes.Builder sb = SynapseSpikes.newBuilder().setSynapse(s);
            for (int bin : bins) {
                sb.addBins(bin);
            }
            b.addSynapses(sb);
            spikes += bins.length;
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            b.build().writeDelimitedTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the input spike trains to " + file + ": " + e.getMessage(), e);
        }
        return spikes;
    }
}

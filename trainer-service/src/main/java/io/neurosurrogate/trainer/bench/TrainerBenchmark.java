package io.neurosurrogate.trainer.bench;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.trainer.ml.Nd4jBackend;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.TrainingSettings;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code nsurr bench trainer}: training throughput of one architecture preset on the ND4J backend
 * of this JVM (CPU or CUDA), on synthetic batches with the statistics of real data, so it needs no
 * dataset. Reports output bins trained per second (the unit of {@code TrainingProgress.samples_per_s}),
 * per first-layer mode, and ends with one RESULT line.
 *
 * <p>Arguments: {@code --preset P} (required) {@code --batch N} (8) {@code --window-ms N} (400)
 * {@code --seconds S} (60, measured time per mode) {@code --first-layer auto|dense|factorised|all}
 * (auto; all = dense and factorised in this process, taking turns) {@code --seed N} (1)
 * {@code --warmup N} (3 untimed steps per mode).
 */
public final class TrainerBenchmark {
    static final List<String> MODES = List.of("auto", "dense", "factorised", "all");
    /** Rounds the measured time is split into when several first-layer modes are compared. */
    static final int ROUNDS = 5;
    static final int MIN_STEPS_PER_ROUND = 4;
    /** I&amp;F: 80 excitatory + 20 inhibitory inputs (Beniaguev et al. 2021). */
    static final int IAF_SYNAPSES = 100;
    /** L5PC: one excitatory and one inhibitory synapse on each of 639 segments (Beniaguev et al. 2021). */
    static final int L5PC_SYNAPSES = 1278;
    /**
     * Input spike probability per synapse per 1 ms bin. L5PC: ~14 input spikes per ms over 1,278
     * synapses in the paper's NMDA input (measured on its NEURON model), ~1.1 %. I&amp;F: 0-50
     * excitatory spikes per 100 ms spread over 80 inputs, with inhibition near it: ~0.5-1 %.
     */
    static final double L5PC_INPUT_P = 14.0 / L5PC_SYNAPSES;
    static final double IAF_INPUT_P = 0.0075;

    /** What to measure. */
    public record Options(String preset, int batch, int windowMs, double seconds, String firstLayer, long seed, int warmup) {
        public Options {
            if (preset == null || preset.isBlank()) {
                throw new IllegalArgumentException("--preset is required (e.g. l5pc-nmda-7x128, iaf-1x1)");
            }
            if (batch <= 0 || windowMs <= 0 || !(seconds > 0) || warmup < 0) {
                throw new IllegalArgumentException("--batch, --window-ms and --seconds must be positive, --warmup >= 0");
            }
            if (!MODES.contains(firstLayer)) {
                throw new IllegalArgumentException("--first-layer must be one of " + MODES + ", got " + firstLayer);
            }
        }

        public static Options parse(String... args) {
            String preset = null;
            int batch = 8;
            int windowMs = 400;
            double seconds = 60;
            String firstLayer = "auto";
            long seed = 1;
            int warmup = 3;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--preset" -> preset = v;
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--window-ms" -> windowMs = Integer.parseInt(v);
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--first-layer" -> firstLayer = v.toLowerCase(Locale.ROOT);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown argument " + a
                            + " (use --preset, --batch, --window-ms, --seconds, --first-layer, --seed, --warmup)");
                }
            }
            return new Options(preset, batch, windowMs, seconds, firstLayer, seed, warmup);
        }

        /** The first-layer modes to run, in order. */
        public List<String> modes() {
            return firstLayer.equals("all") ? List.of("dense", "factorised") : List.of(firstLayer);
        }
    }

    /** One mode's run: {@code steps} timed optimiser steps in {@code seconds}. */
    public record Measurement(String firstLayer, int steps, double seconds, int countedBinsPerWindow, int batch,
                              int receptiveFieldMs, long parameters, double lastScore, double waitedSeconds, double warmupSeconds) {
        /** Output bins (1 ms) that count in the loss, trained per wall second. */
        public double samplesPerS() {
            return (double) countedBinsPerWindow * batch * steps / seconds;
        }
    }

    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(Options.parse(args));
        } catch (IllegalArgumentException | DomainException e) {
            // Bad arguments or an unknown preset: the message says what to change.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(Options o) throws InterruptedException {
        int synapses = synapsesFor(o.preset());
        SurrogateArchitecture nominal = architecture(o.preset(), "auto");
        long macs = macsPerOutputMs(nominal, synapses);
        System.out.printf(Locale.ROOT, "[bench] preset %s: %d synapses (%.1f input spikes per ms), receptive field %d ms, "
                        + "window %d ms, batch %d, %.2f MMAC per output ms as exported; backend %s%n",
                o.preset(), synapses, inputSpikeProbability(o.preset()) * synapses, nominal.receptiveFieldMs(), o.windowMs(),
                o.batch(), macs / 1e6, Nd4jBackend.describe());
        List<Measurement> runs = measure(o, o.modes());
        for (Measurement m : runs) {
            System.out.println(describe(m));
        }
        System.out.println(resultLine(o, runs, Nd4jBackend.name(), macs));
        System.out.flush();
    }

    /** One mode's single run (see {@link #measure(Options, List)}). */
    public static Measurement measure(Options o, String firstLayer) throws InterruptedException {
        return measure(o, List.of(firstLayer)).get(0);
    }

    /**
     * Builds the preset's network once per first-layer mode and takes {@code warmup} untimed steps on
     * each; then measures. With several modes the {@code seconds} of each are split into up to
     * {@value #ROUNDS} rounds taken in turn (dense, factorised, dense, ...), so that a change in the
     * machine's load (another process, clock boost, the JIT) falls on all modes alike (see
     * {@link #rounds}). Each mode takes at least one step per round, so a run can exceed
     * {@code seconds} by about a step per round.
     */
    public static List<Measurement> measure(Options o, List<String> modes) throws InterruptedException {
        int synapses = synapsesFor(o.preset());
        List<ModeRun> runs = new ArrayList<>();
        for (String mode : modes) {
            runs.add(new ModeRun(mode, SurrogateNetwork.create(architecture(o.preset(), mode), synapses,
                    TrainingSettings.DEFAULT_LEARNING_RATE, TrainingSettings.DEFAULT_OPTIMIZER,
                    TrainingSettings.DEFAULT_VOLTAGE_LOSS_WEIGHT, o.seed())));
        }
        int rf = runs.get(0).network.receptiveFieldMs();
        int counted;
        try (SyntheticBatches batches = new SyntheticBatches(o.batch(), synapses, o.windowMs(), rf,
                inputSpikeProbability(o.preset()), o.seed())) {
            counted = batches.countedBinsPerWindow();
            for (ModeRun r : runs) {
                long start = System.nanoTime();
                for (int i = 0; i < o.warmup(); i++) {
                    long stepStart = System.nanoTime();
                    r.score = r.network.fit(batches.next());
                    r.lastWarmupStepNanos = System.nanoTime() - stepStart;
                }
                r.warmupNanos = System.nanoTime() - start;
            }
            int rounds = rounds(runs.size(), o.seconds(), slowestStepSeconds(runs, o.warmup()));
            long budget = (long) (o.seconds() * 1e9 / rounds);
            for (int round = 0; round < rounds; round++) {
                for (ModeRun r : runs) {
                    long start = System.nanoTime();
                    long elapsed;
                    do {
                        long asked = System.nanoTime();
                        MultiDataSet batch = batches.next();
                        r.waitedNanos += System.nanoTime() - asked;
                        // fit returns the minibatch score, a host-side number: on CUDA that waits for
                        // the step's kernels, so the clock sees finished work, not queued work.
                        r.score = r.network.fit(batch);
                        r.steps++;
                        elapsed = System.nanoTime() - start;
                    } while (elapsed < budget);
                    r.nanos += elapsed;
                }
            }
        }
        List<Measurement> out = new ArrayList<>();
        for (ModeRun r : runs) {
            out.add(new Measurement(r.mode, r.steps, r.nanos / 1e9, counted, o.batch(), rf,
                    r.network.parameterCount(), r.score, r.waitedNanos / 1e9, r.warmupNanos / 1e9));
        }
        return out;
    }

    /**
     * {@value #ROUNDS} rounds when several modes are compared, fewer when steps are so slow (the
     * dense L5PC nets on a few CPU cores take seconds) that a round would hold under
     * {@value #MIN_STEPS_PER_ROUND} steps; one round for one mode.
     */
    static int rounds(int modes, double seconds, double slowestStepSeconds) {
        if (modes <= 1) {
            return 1;
        }
        if (!(slowestStepSeconds > 0)) {
            return ROUNDS;
        }
        return (int) Math.max(1, Math.min(ROUNDS, Math.floor(seconds / (MIN_STEPS_PER_ROUND * slowestStepSeconds))));
    }

    private static double slowestStepSeconds(List<ModeRun> runs, int warmup) {
        if (warmup == 0) {
            return 0;
        }
        long slowest = 0;
        for (ModeRun r : runs) {
            slowest = Math.max(slowest, r.lastWarmupStepNanos);
        }
        return slowest / 1e9;
    }

    /** Mutable tallies of one mode while the rounds run. */
    private static final class ModeRun {
        final String mode;
        final SurrogateNetwork network;
        int steps;
        long nanos;
        long waitedNanos;
        long warmupNanos;
        long lastWarmupStepNanos;
        double score = Double.NaN;

        ModeRun(String mode, SurrogateNetwork network) {
            this.mode = mode;
            this.network = network;
        }
    }

    static SurrogateArchitecture architecture(String preset, String firstLayer) {
        return SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset(preset).setFirstLayer(firstLayer).build());
    }

    /** Input synapses of the preset's neuron family: {@code iaf-*} 100, {@code l5pc-*} and anything else 1,278. */
    public static int synapsesFor(String preset) {
        return preset.startsWith("iaf") ? IAF_SYNAPSES : L5PC_SYNAPSES;
    }

    static double inputSpikeProbability(String preset) {
        return preset.startsWith("iaf") ? IAF_INPUT_P : L5PC_INPUT_P;
    }

    /**
     * Multiply-adds of one forward pass per output ms of the network as exported: each causal conv
     * costs in x out x kernel per output bin (the first layer's in = synapses), each head last-filters
     * x 1. Batch norm, residual additions and activations are element-wise and left out. This is the
     * nominal dense figure: a factorised first layer does fewer multiply-adds, and the convolutions
     * also run over the masked warm-up bins of each window.
     */
    public static long macsPerOutputMs(SurrogateArchitecture architecture, int synapses) {
        return architecture.multiplyAddsPerBin(synapses);
    }

    static String describe(Measurement m) {
        return String.format(Locale.ROOT, "[bench] first_layer=%s: %d steps in %.1f s, %.0f samples/s (%d counted bins x batch %d"
                        + " per step, receptive field %d ms), %.3f s/step, score %.4f, %d parameters, waited for input %.1f %%,"
                        + " warm-up %.1f s", m.firstLayer(), m.steps(), m.seconds(), m.samplesPerS(), m.countedBinsPerWindow(),
                m.batch(), m.receptiveFieldMs(), m.seconds() / m.steps(), m.lastScore(), m.parameters(),
                100 * m.waitedSeconds() / m.seconds(), m.warmupSeconds());
    }

    /**
     * {@code RESULT preset= samples_per_s= backend= first_layer= batch= window_ms= gmac_per_s=}, the
     * fastest mode's figures; with both modes measured also {@code dense_samples_per_s=} and
     * {@code factorised_samples_per_s=}.
     */
    public static String resultLine(Options o, List<Measurement> runs, String backend, long macsPerOutputMs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no measurement");
        }
        Measurement best = runs.get(0);
        for (Measurement m : runs) {
            if (m.samplesPerS() > best.samplesPerS()) {
                best = m;
            }
        }
        // x 3: the forward pass plus the two backward GEMMs (gradients of inputs and of weights).
        double gmacPerS = macsPerOutputMs * best.samplesPerS() * 3 / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "RESULT preset=%s samples_per_s=%.1f backend=%s first_layer=%s batch=%d window_ms=%d gmac_per_s=%.3f",
                o.preset(), best.samplesPerS(), backend, best.firstLayer(), o.batch(), o.windowMs(), gmacPerS));
        if (runs.size() > 1) {
            for (Measurement m : runs) {
                sb.append(String.format(Locale.ROOT, " %s_samples_per_s=%.1f", m.firstLayer(), m.samplesPerS()));
            }
        }
        return sb.toString();
    }
}

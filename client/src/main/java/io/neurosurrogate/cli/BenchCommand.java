package io.neurosurrogate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Benchmarks: commands that print figures and end with one RESULT line (recorded in BENCHMARKS.md). */
@Command(name = "bench", description = "Benchmarks; each ends with a RESULT line.",
        subcommands = {BenchCommand.Simulator.class, BenchCommand.Trainer.class, StreamingBench.class, SpeedupBench.class, GatewayBench.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * The Java compartmental engine against NEURON on the same model and input, single-threaded, in
     * one run. Runs in a child JVM on the simulator-service's own classpath (the benchmark code lives
     * beside the engine it measures).
     */
    @Command(name = "simulator", description = "Java engine vs NEURON on the same L5PC model and input, single-threaded.")
    static final class Simulator implements Callable<Integer> {
        @Option(names = "--neuron", description = "l5pc-nmda or l5pc-ampa (default ${DEFAULT-VALUE})")
        String neuron = "l5pc-nmda";

        @Option(names = "--morphology", description = "morphology file (.asc/.swc); default: the built-in L5PC-like cell")
        Path morphology;

        @Option(names = "--duration-ms", description = "simulated time (default ${DEFAULT-VALUE})")
        int durationMs = 6000;

        @Option(names = "--seed", description = "input seed (default ${DEFAULT-VALUE})")
        long seed = 2;

        @Option(names = "--repeats", description = "Java engine runs, the best is kept (default ${DEFAULT-VALUE})")
        int repeats = 2;

        @Override
        public Integer call() throws Exception {
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-cp", quarkusAppClasspath("simulator-service"),
                    "io.neurosurrogate.simulator.bench.SimulatorBenchmark",
                    "--neuron", neuron, "--duration-ms", Integer.toString(durationMs), "--seed", Long.toString(seed),
                    "--repeats", Integer.toString(repeats)));
            if (morphology != null) {
                cmd.add("--morphology");
                cmd.add(morphology.toAbsolutePath().toString());
            }
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        }
    }

    /**
     * Training throughput of an architecture preset on the ND4J backend the trainer was built with
     * (CPU by default, CUDA with {@code mvn -Pcuda}), on synthetic batches with the statistics of
     * real data. Runs in a child JVM on the trainer-service's own classpath, like {@link Simulator}.
     */
    @Command(name = "trainer", description = "Training steps per second of an architecture preset (DL4J), per first-layer mode.")
    static final class Trainer implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "architecture preset, e.g. l5pc-nmda-7x128, l5pc-ampa-1x128, iaf-1x1")
        String preset;

        @Option(names = "--seconds", description = "measured seconds per first-layer mode (default ${DEFAULT-VALUE})")
        double seconds = 60;

        @Option(names = "--first-layer", description = "auto, dense, factorised, or all (dense and factorised taking turns; default ${DEFAULT-VALUE})")
        String firstLayer = "auto";

        @Option(names = "--batch", description = "windows per training step (default ${DEFAULT-VALUE})")
        int batch = 8;

        @Option(names = "--window-ms", description = "training window (default ${DEFAULT-VALUE})")
        int windowMs = 400;

        @Option(names = "--seed", description = "weights and synthetic data seed (default ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(names = "--max-heap", description = "child JVM heap; ND4J's off-heap limit follows it (default ${DEFAULT-VALUE})")
        String maxHeap = "4g";

        @Override
        public Integer call() throws Exception {
            return new ProcessBuilder(command(quarkusAppClasspath("trainer-service"))).inheritIO().start().waitFor();
        }

        List<String> command(String classpath) {
            return List.of(javaBinary(), "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-cp", classpath,
                    "io.neurosurrogate.trainer.bench.TrainerBenchmark",
                    "--preset", preset, "--seconds", Double.toString(seconds), "--first-layer", firstLayer,
                    "--batch", Integer.toString(batch), "--window-ms", Integer.toString(windowMs), "--seed", Long.toString(seed));
        }
    }

    /** The packaged Quarkus app's own jars (lib/main and app) of a service module, as a classpath. */
    static String quarkusAppClasspath(String module) {
        Path app = home().resolve(module).resolve("target/quarkus-app");
        if (!Files.isDirectory(app.resolve("lib/main"))) {
            throw new IllegalStateException(app + " is missing: build with mvn -B -DskipTests install (./nsurr does that)");
        }
        return app.resolve("lib/main") + File.separator + "*" + File.pathSeparator + app.resolve("app") + File.separator + "*";
    }

    static Path home() {
        String h = System.getProperty("ns.home", System.getenv("NS_HOME"));
        return Path.of(h == null ? "." : h).toAbsolutePath();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

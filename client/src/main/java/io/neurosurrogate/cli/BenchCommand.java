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
        subcommands = {BenchCommand.Simulator.class})
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
            Path app = home().resolve("simulator-service/target/quarkus-app");
            if (!Files.isDirectory(app.resolve("lib/main"))) {
                throw new IllegalStateException(app + " is missing: build with mvn -B -DskipTests install (./nsurr does that)");
            }
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-cp",
                    app.resolve("lib/main") + File.separator + "*" + File.pathSeparator + app.resolve("app") + File.separator + "*",
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

    static Path home() {
        String h = System.getProperty("ns.home", System.getenv("NS_HOME"));
        return Path.of(h == null ? "." : h).toAbsolutePath();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

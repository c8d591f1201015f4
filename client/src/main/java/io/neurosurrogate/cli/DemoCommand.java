package io.neurosurrogate.cli;

import io.neurosurrogate.client.IafPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The main job, end to end for the integrate-and-fire neuron ({@link IafPipeline}); ends with one
 * {@code RESULT ...} line on stdout (progress goes to stderr).
 */
@Command(name = "demo", description = "Run the whole pipeline for the I&F neuron and print a RESULT line.")
final class DemoCommand implements Callable<Integer> {
    private static final IafPipeline.Settings DEFAULTS = IafPipeline.Settings.demo();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--sims", description = "simulations in the training campaign (default ${DEFAULT-VALUE})")
    int sims = DEFAULTS.sims();

    @Option(names = "--duration-ms", description = "neuron time per simulation (default ${DEFAULT-VALUE})")
    int durationMs = DEFAULTS.durationMs();

    @Option(names = "--seed", description = "campaign and training seed (default ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--held-out", description = "fresh simulations predicted by the served model (default ${DEFAULT-VALUE})")
    int heldOut = DEFAULTS.heldOut();

    @Option(names = "--epochs", description = "training epochs, 0 = the trainer's default")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--preset", description = "architecture preset (default ${DEFAULT-VALUE})")
    String preset = DEFAULTS.preset();

    @Option(names = "--model", description = "model name (default ${DEFAULT-VALUE})")
    String model = DEFAULTS.model();

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            IafPipeline.Result r = new IafPipeline(conn.client(), progress)
                    .run(new IafPipeline.Settings(sims, durationMs, seed, heldOut, epochs, preset, model));
            progress.stage(String.format(Locale.ROOT, "done in %.0f s%s", progress.elapsed(), conn.stack() != null ? "; stopping the local stack" : ""));
            System.out.println(r.resultLine());
            System.out.flush();
            return 0;
        }
    }
}

package io.neurosurrogate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The user's entry point: {@code ./nsurr <command>}. */
@Command(name = "nsurr", mixinStandardHelpOptions = true, version = "nsurr 0.1.0",
        description = "NeuroSurrogate: simulate neurons, train TCN surrogates, serve them over gRPC.",
        subcommands = {UpCommand.class, DemoCommand.class, SimulateCommand.class, TrainCommand.class,
                ComplexityCommand.class, ModelsCommand.class, NetworkCommand.class, PredictCommand.class, BenchCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class Nsurr implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Nsurr())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("error: " + Errors.describe(ex));
                    return 1;
                })
                .execute(args);
        System.exit(code);
    }
}

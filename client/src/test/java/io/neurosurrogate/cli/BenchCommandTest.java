package io.neurosurrogate.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchCommandTest {

    @Test
    void benchTrainerIsASubcommandAndPassesItsOptionsToTheTrainerBenchmark() {
        CommandLine.ParseResult parsed = new CommandLine(new Nsurr()).parseArgs("bench", "trainer", "--preset", "l5pc-nmda-7x128",
                "--seconds", "30", "--first-layer", "all", "--batch", "16", "--window-ms", "500");
        CommandLine.ParseResult trainer = parsed.subcommand().subcommand();
        assertThat(trainer.commandSpec().name()).isEqualTo("trainer");
        BenchCommand.Trainer t = (BenchCommand.Trainer) trainer.commandSpec().userObject();
        List<String> cmd = t.command("CP");
        assertThat(cmd).containsSubsequence("-cp", "CP", "io.neurosurrogate.trainer.bench.TrainerBenchmark");
        assertThat(String.join(" ", cmd)).endsWith("io.neurosurrogate.trainer.bench.TrainerBenchmark --preset l5pc-nmda-7x128"
                + " --seconds 30.0 --first-layer all --batch 16 --window-ms 500 --seed 1");
    }

    @Test
    void benchTrainerNeedsAPreset() {
        assertThatThrownBy(() -> new CommandLine(new Nsurr()).parseArgs("bench", "trainer", "--seconds", "5"))
                .isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("--preset");
    }
}

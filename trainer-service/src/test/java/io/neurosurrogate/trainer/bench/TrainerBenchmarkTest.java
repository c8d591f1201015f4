package io.neurosurrogate.trainer.bench;

import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerBenchmarkTest {

    @Test
    void measuresTrainingThroughputOfIafPresetAndPrintsAParsableResultLine() throws Exception {
        TrainerBenchmark.Options o = TrainerBenchmark.Options.parse("--preset", "iaf-1x1", "--seconds", "3", "--batch", "4",
                "--window-ms", "300", "--warmup", "1");
        TrainerBenchmark.Measurement m = TrainerBenchmark.measure(o, "auto");

        assertThat(m.steps()).isPositive();
        assertThat(m.seconds()).isGreaterThanOrEqualTo(3.0);
        assertThat(m.receptiveFieldMs()).isEqualTo(80);
        assertThat(m.countedBinsPerWindow()).isEqualTo(300 - 80 + 1);
        assertThat(m.samplesPerS()).isPositive().isEqualTo(221.0 * 4 * m.steps() / m.seconds());
        assertThat(m.lastScore()).isFinite();

        long macs = TrainerBenchmark.macsPerOutputMs(TrainerBenchmark.architecture("iaf-1x1", "auto"), 100);
        Map<String, String> r = parse(TrainerBenchmark.resultLine(o, List.of(m), "cpu", macs));
        assertThat(r).containsEntry("preset", "iaf-1x1").containsEntry("backend", "cpu").containsEntry("first_layer", "auto")
                .containsEntry("batch", "4").containsEntry("window_ms", "300")
                .doesNotContainKeys("dense_samples_per_s", "factorised_samples_per_s");
        double samples = Double.parseDouble(r.get("samples_per_s"));
        assertThat(samples).isPositive().isCloseTo(m.samplesPerS(), org.assertj.core.data.Offset.offset(0.06));
        assertThat(Double.parseDouble(r.get("gmac_per_s"))).isCloseTo(macs * samples * 3 / 1e9,
                org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void resultLineReportsTheFasterModeAndBothFiguresWhenBothRan() {
        TrainerBenchmark.Options o = TrainerBenchmark.Options.parse("--preset", "l5pc-ampa-1x128", "--first-layer", "all");
        assertThat(o.modes()).containsExactly("dense", "factorised");
        var dense = new TrainerBenchmark.Measurement("dense", 10, 10, 358, 8, 43, 1, 0.1, 0, 1);
        var factorised = new TrainerBenchmark.Measurement("factorised", 30, 10, 358, 8, 43, 1, 0.1, 0, 1);
        Map<String, String> r = parse(TrainerBenchmark.resultLine(o, List.of(dense, factorised), "cuda", 1_000_000));
        assertThat(r).containsEntry("first_layer", "factorised").containsEntry("samples_per_s", "8592.0")
                .containsEntry("dense_samples_per_s", "2864.0").containsEntry("factorised_samples_per_s", "8592.0")
                .containsEntry("backend", "cuda").containsEntry("gmac_per_s", "25.776");
    }

    @Test
    void countsMultiplyAddsPerOutputMsOfTheExportedNetwork() {
        // tcn-fast: 1278 synapses -> 8 x 40 ms -> 8 x 16 ms, then two 8 -> 1 heads.
        SurrogateArchitecture a = TrainerBenchmark.architecture("tcn-fast", "auto");
        assertThat(TrainerBenchmark.macsPerOutputMs(a, 1278)).isEqualTo(1278L * 8 * 40 + 8L * 8 * 16 + 2 * 8);
        assertThat(TrainerBenchmark.synapsesFor("iaf-reset")).isEqualTo(100);
        assertThat(TrainerBenchmark.synapsesFor("l5pc-nmda-7x128")).isEqualTo(1278);
        assertThat(TrainerBenchmark.synapsesFor("tcn-fast")).isEqualTo(1278);
    }

    @Test
    void comparesModesInFewerRoundsWhenStepsAreSlow() {
        assertThat(TrainerBenchmark.rounds(1, 60, 0.01)).isEqualTo(1);
        assertThat(TrainerBenchmark.rounds(2, 60, 0.01)).isEqualTo(TrainerBenchmark.ROUNDS);
        assertThat(TrainerBenchmark.rounds(2, 60, 0)).isEqualTo(TrainerBenchmark.ROUNDS);
        assertThat(TrainerBenchmark.rounds(2, 60, 5)).isEqualTo(3);
        assertThat(TrainerBenchmark.rounds(2, 10, 20)).isEqualTo(1);
    }

    @Test
    void rejectsUnknownArgumentsAndModes() {
        assertThatThrownBy(() -> TrainerBenchmark.Options.parse("--preset", "iaf-1x1", "--first-layer", "sparse"))
                .hasMessageContaining("--first-layer");
        assertThatThrownBy(() -> TrainerBenchmark.Options.parse("--preset", "iaf-1x1", "--epochs", "3"))
                .hasMessageContaining("unknown argument --epochs");
        assertThatThrownBy(() -> TrainerBenchmark.Options.parse("--seconds", "3")).hasMessageContaining("--preset");
    }

    private static Map<String, String> parse(String line) {
        assertThat(line).startsWith("RESULT ").doesNotContain("\n");
        Map<String, String> kv = new HashMap<>();
        for (String token : line.substring("RESULT ".length()).split(" ")) {
            int eq = token.indexOf('=');
            assertThat(eq).as("token %s", token).isPositive();
            kv.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return kv;
    }
}

package io.neurosurrogate.simulator.bench;

import io.neurosurrogate.core.ResultLines;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeedupSimulationTest {

    @Test
    void iafWritesTheInputItSimulatedAndPrintsItsRateAndSpeed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("input.pb");
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        SpeedupSimulation.Result r = SpeedupSimulation.run(
                SpeedupSimulation.Options.parse("--neuron", "iaf", "--duration-ms", "2000", "--seed", "7", "--out", out.toString()),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        Map<String, String> sim = ResultLines.fields(r.simLine());

        SparseNeuronInput input;
        try (InputStream in = Files.newInputStream(out)) {
            input = SparseNeuronInput.parseDelimitedFrom(in);
            assertThat(in.read()).as("one message, nothing after it").isEqualTo(-1);
        }
        long spikes = 0;
        int previousSynapse = -1;
        for (SynapseSpikes s : input.getSynapsesList()) {
            assertThat(s.getSynapse()).isGreaterThan(previousSynapse).isLessThan(100);
            assertThat(s.getBinsList()).isNotEmpty().isSorted().allSatisfy(b -> assertThat(b).isBetween(0, 1999));
            previousSynapse = s.getSynapse();
            spikes += s.getBinsCount();
        }
        assertThat(spikes).isPositive();
        assertThat(r.simLine()).startsWith("SIM ");
        assertThat(sim).containsEntry("synapses", "100").containsEntry("neuron_sim_ms_per_s", "na");
        assertThat(Double.parseDouble(sim.get("input_spikes_per_ms"))).isCloseTo(spikes / 2000.0, within(5e-5));
        assertThat(Double.parseDouble(sim.get("java_sim_ms_per_s"))).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("java engine run 2");
    }

    @Test
    void theSameSeedGivesTheSameInputFile(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SpeedupSimulation.run(SpeedupSimulation.Options.parse("--neuron", "iaf", "--duration-ms", "500", "--out", dir.resolve("a").toString()), quiet);
        SpeedupSimulation.run(SpeedupSimulation.Options.parse("--neuron", "iaf", "--duration-ms", "500", "--out", dir.resolve("b").toString()), quiet);

        assertThat(Files.readAllBytes(dir.resolve("a"))).isEqualTo(Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void badArgumentsAreRejectedWithAMessageNamingTheOption() {
        assertThatThrownBy(() -> SpeedupSimulation.Options.parse("--neuron", "hh", "--out", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--neuron must be one of iaf, l5pc-ampa, l5pc-nmda");
        assertThatThrownBy(() -> SpeedupSimulation.Options.parse("--neuron", "iaf", "--duration-ms", "0", "--out", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--duration-ms");
        assertThatThrownBy(() -> SpeedupSimulation.Options.parse("--neuron", "iaf"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out");
        assertThatThrownBy(() -> SpeedupSimulation.Options.parse("--neuron", "iaf", "--morphology", "cell.asc", "--out", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l5pc-* cells only");
    }
}

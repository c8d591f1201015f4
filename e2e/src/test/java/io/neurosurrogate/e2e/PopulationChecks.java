package io.neurosurrogate.e2e;

import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.client.SurrogatePopulation;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;

import io.neurosurrogate.cli.Nsurr;
import io.neurosurrogate.client.network.SonataSpikes;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's co-simulation helper against a served model. */
final class PopulationChecks {
    private PopulationChecks() {
    }

    /**
     * A {@link SurrogatePopulation} fed simulated input spikes interval by interval (a co-simulation's min-delay
     * exchange) emits the same output spikes, and the same voltages, as one window prediction of the whole input.
     */
    static void intervalsGiveTheWindowsSpikes(NeuroSurrogateClient client, ModelVersion m) {
        // The I&F neuron fires about once a second under this input: 8 neurons x 1.5 s give a dozen spikes or so.
        int time = 1500;
        int neurons = 8;
        List<SimulationTrace> traces = simulate(client, m, neurons, time, 777);
        String version = Integer.toString(m.getVersion());
        PredictResponse window = client.predict(m.getModelName(), version, traces);
        double threshold = m.getCard().getMetrics().getThresholdAt0P25Fa();

        Set<String> expected = new TreeSet<>();
        for (int n = 0; n < neurons; n++) {
            for (int bin : window.getNeurons(n).getSpikeBinsList()) {
                expected.add(n + "@" + bin);
            }
        }
        assertThat(expected).as("the window prediction has output spikes to compare").isNotEmpty();

        Set<String> got = new TreeSet<>();
        int inputSpikes = 0;
        SurrogatePopulation.Options options = new SurrogatePopulation.Options().version(version).recordVoltage(true)
                .recordSpikeProbability(true);
        try (SurrogatePopulation population = client.population(m.getModelName(), neurons, options)) {
            assertThat(population.version()).isEqualTo(m.getVersion());
            assertThat(population.spikeThreshold()).isEqualTo(threshold, org.assertj.core.api.Assertions.within(1e-6));
            int chunk = 5; // a typical minimum synaptic delay
            for (int from = 0; from < time; from += chunk) {
                int to = Math.min(time, from + chunk);
                List<SurrogatePopulation.InputSpike> in = new ArrayList<>();
                for (int n = 0; n < neurons; n++) {
                    SimulationTrace t = traces.get(n);
                    for (int s = 0; s < t.synapses(); s++) {
                        for (int bin : t.spikeBins(s)) {
                            if (bin >= from && bin < to) {
                                in.add(new SurrogatePopulation.InputSpike(n, s, bin));
                            }
                        }
                    }
                }
                inputSpikes += in.size();
                SurrogatePopulation.Interval out = population.advance(to, in);
                for (SurrogatePopulation.OutputSpike s : out.spikes()) {
                    got.add(s.neuron() + "@" + s.timeMs());
                }
                for (int n = 0; n < neurons; n++) {
                    for (int b = from; b < to; b++) {
                        assertThat((double) Math.abs(out.somaMv()[n][b - from] - window.getNeurons(n).getSomaMv(b)))
                                .as("soma_mv neuron %d bin %d", n, b).isLessThanOrEqualTo(1e-4);
                        assertThat((double) Math.abs(out.spikeProb()[n][b - from] - window.getNeurons(n).getSpikeProb(b)))
                                .as("spike_prob neuron %d bin %d", n, b).isLessThanOrEqualTo(1e-4);
                    }
                }
            }
        }
        assertThat(inputSpikes).isPositive();
        // Same spikes; a bin may differ only where the window's probability sits within float noise of the threshold.
        Set<String> differ = new TreeSet<>(expected);
        differ.addAll(got);
        Set<String> both = new TreeSet<>(expected);
        both.retainAll(got);
        differ.removeAll(both);
        for (String d : differ) {
            int n = Integer.parseInt(d.substring(0, d.indexOf('@')));
            int bin = Integer.parseInt(d.substring(d.indexOf('@') + 1));
            assertThat(Math.abs(window.getNeurons(n).getSpikeProb(bin) - threshold)).as("spike %s differs from the window", d)
                    .isLessThanOrEqualTo(1e-4);
        }
        System.out.printf("   population in 5 ms intervals: %d output spikes (window %d), %d input spikes%n", got.size(), expected.size(), inputSpikes);
    }

    /**
     * The same population in int8 (StreamOpen.precision through the gateway): close to the window prediction but not
     * equal to it (its conv really is an int8 product), and the model card says how accurate that form is.
     */
    static void int8PopulationStaysCloseToTheWindow(NeuroSurrogateClient client, ModelVersion m) {
        var metrics = m.getCard().getMetrics();
        assertThat(metrics.getInt8Form()).as("the trainer scored the int8 form").isIn("events", "step");
        assertThat(metrics.getInt8SpikeAuc()).isCloseTo(metrics.getSpikeAuc(), org.assertj.core.api.Assertions.within(0.02));
        int time = 600;
        int neurons = 4;
        List<SimulationTrace> traces = simulate(client, m, neurons, time, 901);
        String version = Integer.toString(m.getVersion());
        PredictResponse window = client.predict(m.getModelName(), version, traces);
        List<SurrogatePopulation.InputSpike> in = new ArrayList<>();
        for (int n = 0; n < neurons; n++) {
            SimulationTrace t = traces.get(n);
            for (int s = 0; s < t.synapses(); s++) {
                for (int bin : t.spikeBins(s)) {
                    in.add(new SurrogatePopulation.InputSpike(n, s, bin));
                }
            }
        }
        for (boolean eventDriven : new boolean[]{false, true}) {
            SurrogatePopulation.Options options = new SurrogatePopulation.Options().version(version).recordVoltage(true)
                    .recordSpikeProbability(true).precision("int8").eventDriven(eventDriven);
            double maxMv = 0;
            double maxProb = 0;
            try (SurrogatePopulation population = client.population(m.getModelName(), neurons, options)) {
                SurrogatePopulation.Interval out = population.advance(time, in);
                for (int n = 0; n < neurons; n++) {
                    for (int b = 0; b < time; b++) {
                        maxMv = Math.max(maxMv, Math.abs(out.somaMv()[n][b] - window.getNeurons(n).getSomaMv(b)));
                        maxProb = Math.max(maxProb, Math.abs(out.spikeProb()[n][b] - window.getNeurons(n).getSpikeProb(b)));
                    }
                }
            }
            System.out.printf("   int8 population (%s): max |int8 - window| soma_mv %.3g mV, spike_prob %.3g (card, test set: %.3g mV, %.3g)%n",
                    eventDriven ? "event-driven" : "dense", maxMv, maxProb, metrics.getInt8MaxAbsDiffMv(), metrics.getInt8MaxAbsDiffProb());
            assertThat(maxMv).as("int8 soma_mv, event-driven %s", eventDriven).isGreaterThan(0).isLessThan(0.5);
            assertThat(maxProb).as("int8 spike_prob, event-driven %s", eventDriven).isLessThan(0.05);
        }
    }

    /** {@code neurons} simulations of the model's neuron through the gateway, seeds {@code seed}, {@code seed} + 1, ... */
    private static List<SimulationTrace> simulate(NeuroSurrogateClient client, ModelVersion m, int neurons, int timeMs, long seed) {
        List<SimulationTrace> traces = new ArrayList<>();
        for (int i = 0; i < neurons; i++) {
            SimulateResponse r = client.simulate(SimulateRequest.newBuilder().setNeuronModel(m.getCard().getNeuronModel())
                    .setDurationMs(timeMs).setSeed(seed + i).build());
            traces.add(SimulationTrace.fromChunks(List.of(r.getTrace())));
        }
        return traces;
    }

    /**
     * {@code nsurr network} against the served model: a small recurrent network runs through the gateway, its spikes
     * land in a SONATA file and a raster plot, and the RESULT line reports them.
     */
    static void networkCommandRuns(String gateway, String apiKey, ModelVersion m) throws Exception {
        Path out = Files.createTempDirectory("nsurr-network");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = new CommandLine(new Nsurr()).execute("network", "--gateway", gateway, "--api-key", apiKey, "--model", m.getModelName(),
                    "--neurons", "60", "--duration", "400", "--connections", "10", "--background-exc-hz", "10", "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(code).isZero();
        String result = printed.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        assertThat(result).contains("neurons=60 ", "sim_ms=400 ").containsPattern("wall_s=[0-9.]+ ").containsPattern("neuron_ms_per_s=[0-9]+");
        SonataSpikes.Read spikes = SonataSpikes.read(out.resolve("spikes.h5"), "surrogates");
        assertThat(spikes.nodeIds()).as("the network fired").isNotEmpty();
        assertThat(result).contains("spikes=" + spikes.nodeIds().length + " ");
        assertThat(java.util.Arrays.stream(spikes.nodeIds()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(java.util.Arrays.stream(spikes.nodeIds()).max().orElseThrow()).isLessThan(60);
        assertThat(spikes.timestampsMs()).isSorted();
        assertThat(spikes.timestampsMs()[spikes.timestampsMs().length - 1]).isLessThan(400.0);
        assertThat(result).doesNotContain("recurrent_inputs=0 ");
        assertThat(Files.size(out.resolve("raster.png"))).isPositive();
    }
}

package io.neurosurrogate.cli;

import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeedupBenchTest {

    private static SpeedupBench.Figures figures(double neuronMsPerS, double sparseMsPerS, double denseFloor, double sparseFloor) {
        return figures(neuronMsPerS, sparseMsPerS, denseFloor, sparseFloor, SpeedupBench.Int8Figures.none(Double.NaN));
    }

    private static SpeedupBench.Figures figures(double neuronMsPerS, double sparseMsPerS, double denseFloor, double sparseFloor,
                                                SpeedupBench.Int8Figures int8) {
        return new SpeedupBench.Figures("l5pc-ampa", "ampa/3", 256, 2000, 50.0, neuronMsPerS, 4000.0, 12000.0, sparseMsPerS, 71.7,
                denseFloor, sparseFloor, int8);
    }

    @Test
    void resultLineReportsTheBestSurrogateModeAgainstBothSimulators() {
        String line = SpeedupBench.resultLine(figures(25.0, 30000.0, 1.5e6, 2.5e7));

        assertThat(line).isEqualTo("RESULT neuron=l5pc-ampa model=ampa/3 neurons=256 duration_ms=2000 java_sim_ms_per_s=50.0"
                + " neuron_sim_ms_per_s=25.0 window_ms_per_s=4000.0 stream_ms_per_s=12000.0 sparse_ms_per_s=30000.0"
                + " speedup_vs_neuron=1200.00 speedup_vs_java=600.00 gmac_per_s=71.70 dense_floor_ms_per_s=1500000.0"
                + " sparse_floor_ms_per_s=25000000.0 int8_form=na int8_ms_per_s=na speedup_int8_vs_neuron=na int8_gmac_per_s=na"
                + " int8_floor_ms_per_s=na int8_max_diff_prob=na int8_max_diff_mv=na");
    }

    @Test
    void int8StreamIsReportedBesideButNotCountedAsTheBestExactSurrogate() {
        SpeedupBench.Int8Figures int8 = new SpeedupBench.Int8Figures("sparse", 90000.0, 180.0, 2.0e5, 0.0123, 0.4567);
        String line = SpeedupBench.resultLine(figures(25.0, 30000.0, 1.5e6, 2.5e7, int8));

        assertThat(line).contains(" speedup_vs_neuron=1200.00 ", " int8_form=sparse ", " int8_ms_per_s=90000.0 ",
                " speedup_int8_vs_neuron=3600.00 ", " int8_gmac_per_s=180.00 ", " int8_floor_ms_per_s=200000.0 ",
                " int8_max_diff_prob=0.01230 ").endsWith(" int8_max_diff_mv=0.4567");
    }

    @Test
    void int8FloorSplitsTheWorkBetweenTheFloatAndTheInt8Rates() {
        // 1e6 float additions at 50 GMAC/s (20 us) + 1e6 int8 multiply-adds at 200 GMAC/s (5 us) = 25 us per neuron-ms.
        assertThat(SpeedupBench.int8Floor(50.0, 200.0, 1e6, 1_000_000)).isCloseTo(40_000.0, within(1e-6));
        assertThat(SpeedupBench.int8Floor(50.0, 200.0, 0, 1_000_000)).isCloseTo(200_000.0, within(1e-6));
        assertThat(SpeedupBench.int8Floor(50.0, Double.NaN, 0, 1_000_000)).isNaN();
        assertThat(SpeedupBench.int8Floor(50.0, 200.0, 0, 0)).isNaN();
    }

    @Test
    void resultLineWritesNaForMissingFiguresAndLeavesThemOutOfTheBest() {
        String line = SpeedupBench.resultLine(figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN));

        assertThat(line).contains(" neuron_sim_ms_per_s=na ", " sparse_ms_per_s=na ", " speedup_vs_neuron=na ",
                        " speedup_vs_java=240.00 ", " dense_floor_ms_per_s=na ")
                .contains(" sparse_floor_ms_per_s=na ")
                .doesNotContain("NaN");
    }

    @Test
    void numbersUseADotWhateverTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(SpeedupBench.resultLine(figures(25.0, 30000.0, 1.5e6, 2.5e7))).contains("gmac_per_s=71.70").doesNotContain(",");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void floorsDivideTheGemmRateByTheCardsMultiplyAddCounts() {
        // 50 GMAC/s over 1e6 MACs per neuron-ms: 50,000 neuron-ms per s.
        assertThat(SpeedupBench.denseFloor(50.0, 1_000_000)).isCloseTo(50_000.0, within(1e-9));
        // 14 spikes/ms x 43*128 additions + 2e4 tail MACs = 97,056 per neuron-ms.
        assertThat(SpeedupBench.sparseFloor(50.0, 14.0, 43 * 128, 20_000)).isCloseTo(50e9 / 97_056.0, within(1e-6));
    }

    @Test
    void floorsAreNaWhenTheCardPredatesTheCostFields() {
        assertThat(SpeedupBench.denseFloor(50.0, 0)).isNaN();
        assertThat(SpeedupBench.sparseFloor(50.0, 14.0, 0, 20_000)).isNaN();
        assertThat(SpeedupBench.sparseFloor(50.0, 14.0, 5504, 0)).isNaN();
        assertThat(SpeedupBench.fmt(SpeedupBench.denseFloor(50.0, 0), 1)).isEqualTo("na");
    }

    @Test
    void sliceKeepsTheSpikesOfAStretchWithBinsRelativeToItsStart() {
        int[][] bins = {{0, 999, 1000, 1500, 2999}, {}, {1001}, {5, 6}};

        SparseNeuronInput second = SpeedupBench.slice(bins, 1000, 2000);

        assertThat(second.getSynapsesList()).containsExactly(
                SynapseSpikes.newBuilder().setSynapse(0).addBins(0).addBins(500).build(),
                SynapseSpikes.newBuilder().setSynapse(2).addBins(1).build());
        assertThat(SpeedupBench.slice(bins, 0, 1000).getSynapsesList()).containsExactly(
                SynapseSpikes.newBuilder().setSynapse(0).addBins(0).addBins(999).build(),
                SynapseSpikes.newBuilder().setSynapse(3).addBins(5).addBins(6).build());
    }

    @Test
    void slicesCoverTheSpanOnceWithAShorterLastRequest() {
        int[][] bins = {{0, 999, 1000, 1500, 2499}, {2400}};

        List<SparseNeuronInput> requests = SpeedupBench.slices(bins, 2500, 1000);

        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).getSynapsesList()).containsExactly(
                SynapseSpikes.newBuilder().setSynapse(0).addBins(499).build(),
                SynapseSpikes.newBuilder().setSynapse(1).addBins(400).build());
        long total = 0;
        for (SparseNeuronInput r : requests) {
            for (SynapseSpikes s : r.getSynapsesList()) {
                assertThat(s.getBinsList()).allSatisfy(b -> assertThat(b).isBetween(0, 999));
                total += s.getBinsCount();
            }
        }
        assertThat(total).isEqualTo(6);
    }

    @Test
    void windowVsStreamComparesOnlyBinsPastTheReceptiveFieldOfEachWindow() {
        float[] window = {9, 9, 1, 1, 9, 9, 1, 1};
        float[] stream = {0, 0, 1, 1, 0, 0, 1, 1.5f};

        assertThat(SpeedupBench.maxAbsDiff(window, stream, 4, 2)).isCloseTo(0.5, within(1e-9));
        assertThat(SpeedupBench.maxAbsDiff(window, stream, 0, 0)).isCloseTo(9, within(1e-9));
        assertThat(SpeedupBench.maxAbsDiff(window, stream, 4, 4)).isNaN();
    }

    @Test
    void windowsAndBatchesStayWithinTheServersLimits() {
        assertThat(SpeedupBench.windowLength(2000, 1278)).isEqualTo(2000);
        int longWindow = SpeedupBench.windowLength(3_600_000, 100);
        assertThat(longWindow).isEqualTo(PredictRequests.MAX_TIME_MS);
        int l5pcWindow = SpeedupBench.windowLength(3_600_000, 1278);
        assertThat((long) l5pcWindow * 1278).isLessThanOrEqualTo(PredictRequests.MAX_ELEMENTS);

        int batch = SpeedupBench.batchSize(4096, 1278, 2000, 80_000);
        assertThat((long) batch * 1278 * 2000).isLessThanOrEqualTo(PredictRequests.MAX_ELEMENTS);
        assertThat((long) batch * 2000 * 8).isLessThanOrEqualTo(SpeedupBench.MAX_RESPONSE_BYTES);
        assertThat(SpeedupBench.batchSize(256, 100, 2000, 4_000)).isBetween(200, 256);
        assertThat(SpeedupBench.batchSize(4, 100, 100, 100)).isEqualTo(4);
    }

    @Test
    void streamRequestsTakeUpToAThousandStepsAndFewerForHugePopulations() {
        assertThat(SpeedupBench.stepsPerRequest(256, 1278, 40, 2000, 1)).isEqualTo(1000);
        assertThat(SpeedupBench.stepsPerRequest(256, 1278, 40, 300, 1)).isEqualTo(300);
        int steps = SpeedupBench.stepsPerRequest(4096, 1278, 40, 2000, 1);
        assertThat(steps).isBetween(1, 999);
        assertThat(4096.0 * (4 * 1278 + 40.0 * steps)).isLessThanOrEqualTo(SpeedupBench.MAX_REQUEST_BYTES);
    }

    @Test
    void pipelinedPassesAreCutIntoEnoughRequestsToOverlapAndStayUnderTheBytesInFlight() {
        assertThat(SpeedupBench.stepsPerRequest(256, 1278, 40, 2000, 2)).isEqualTo(2000 / SpeedupBench.PIPELINED_REQUESTS);
        assertThat(SpeedupBench.stepsPerRequest(256, 1278, 40, 4, 2)).isEqualTo(1);
        int steps = SpeedupBench.stepsPerRequest(1024, 1278, 40, 100_000, 4);
        assertThat(steps).isBetween(2, 999);
        assertThat(4 * 1024.0 * (4 * 1278 + 40.0 * steps)).isLessThanOrEqualTo(SpeedupBench.MAX_REQUEST_BYTES);
    }

    @Test
    void theSimulatorsInputFileIsReadBackPerSynapse() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SparseNeuronInput.newBuilder()
                .addSynapses(SynapseSpikes.newBuilder().setSynapse(1).addBins(3).addBins(7))
                .addSynapses(SynapseSpikes.newBuilder().setSynapse(4).addBins(0))
                .build().writeDelimitedTo(file);

        int[][] bins = SpeedupBench.readInput(new ByteArrayInputStream(file.toByteArray()), 5);

        assertThat(bins).hasNumberOfRows(5);
        assertThat(bins[1]).containsExactly(3, 7);
        assertThat(bins[4]).containsExactly(0);
        assertThat(bins[0]).isEmpty();
        assertThatThrownBy(() -> SpeedupBench.readInput(new ByteArrayInputStream(file.toByteArray()), 4))
                .hasMessageContaining("synapse 4 outside [0, 4)");
    }

    @Test
    void childResultLinesAreReadAsFields() {
        var sim = io.neurosurrogate.core.ResultLines.fields("SIM synapses=1278 input_spikes_per_ms=14.2031 java_sim_ms_per_s=51.3 neuron_sim_ms_per_s=na");

        assertThat(sim).containsEntry("synapses", "1278").containsEntry("neuron_sim_ms_per_s", "na");
        assertThat(SpeedupBench.number(sim.get("neuron_sim_ms_per_s"))).isNaN();
        assertThat(SpeedupBench.number(sim.get("java_sim_ms_per_s"))).isEqualTo(51.3);
    }

    @Test
    void latestPicksTheNewestLoadedVersionAndAnUnknownModelNamesWhatIsLoaded() {
        List<ModelVersion> loaded = List.of(ModelVersion.newBuilder().setModelName("ampa").setVersion(1).build(),
                ModelVersion.newBuilder().setModelName("ampa").setVersion(3).build(),
                ModelVersion.newBuilder().setModelName("iaf").setVersion(2).build());

        assertThat(SpeedupBench.pick(loaded, "ampa", "latest", "h:1").getVersion()).isEqualTo(3);
        assertThat(SpeedupBench.pick(loaded, "ampa", "1", "h:1").getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> SpeedupBench.pick(loaded, "nmda", "latest", "h:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loaded: ampa/1, ampa/3, iaf/2");
        assertThatThrownBy(() -> SpeedupBench.pick(loaded, "ampa", "2", "h:1")).hasMessageContaining("model ampa version 2 is not loaded");
    }

    @Test
    void childCommandsRunTheBenchmarkMainsWithTheGivenOptions() {
        CommandLine.ParseResult parsed = new CommandLine(new Nsurr()).parseArgs("bench", "speedup", "--neuron", "l5pc-ampa",
                "--model", "ampa", "--inference", "h:1", "--duration-ms", "500", "--seed", "9", "--morphology", "cell1.asc");
        CommandLine.ParseResult speedup = parsed.subcommand().subcommand();
        assertThat(speedup.commandSpec().name()).isEqualTo("speedup");
        SpeedupBench b = (SpeedupBench) speedup.commandSpec().userObject();

        assertThat(String.join(" ", b.simulatorCommand("CP", Path.of("/tmp/in.pb")))).endsWith("-cp CP"
                + " io.neurosurrogate.simulator.bench.SpeedupSimulation --neuron l5pc-ampa --duration-ms 500 --seed 9 --morphology "
                + Path.of("cell1.asc").toAbsolutePath() + " --out /tmp/in.pb");
        assertThat(SpeedupBench.gemmCommand("CP")).containsSubsequence("-cp", "CP", "io.neurosurrogate.trainer.bench.GemmRate");
    }

    @Test
    void badArgumentsEndWithAMessageAndANonZeroExitNotAStackTrace() {
        assertThat(exit("--neuron", "hh", "--model", "m", "--inference", "h:1")).satisfies(r -> {
            assertThat(r.code()).isNotZero();
            assertThat(r.err()).contains("--neuron must be one of iaf, l5pc-ampa, l5pc-nmda").doesNotContain("\tat ");
        });
        assertThat(exit("--neuron", "iaf", "--model", "m", "--inference", "h:1", "--neurons", "0").err()).contains("--neurons must be >= 1");
        assertThat(exit("--neuron", "iaf", "--model", "m", "--inference", "h:1", "--duration-ms", "0").err())
                .contains("--duration-ms must be >= 1");
        assertThat(exit("--neuron", "iaf", "--inference", "h:1").code()).isNotZero();
    }

    private record Exit(int code, String err) {
    }

    /** Runs {@code nsurr bench speedup ARGS} with the same error handler as {@link Nsurr#main}. */
    private static Exit exit(String... args) {
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "speedup";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = new CommandLine(new Nsurr())
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("error: " + Errors.describe(ex));
                    return 1;
                })
                .execute(all);
        return new Exit(code, err.toString());
    }
}

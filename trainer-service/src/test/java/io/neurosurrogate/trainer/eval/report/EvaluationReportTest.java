package io.neurosurrogate.trainer.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.neurosurrogate.core.metrics.SpikeMetrics;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationReportTest {
    private static final int SKIP_MS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HeldOutSet test;
    private static HeldOutSet ood;
    private static List<EpochRecord> history;
    private static Map<String, byte[]> report;

    @BeforeAll
    static void renderReport() {
        // Simulation 1 fires at the highest rate, so it is the one the voltage figure shows.
        List<SimulationResult> sims = new ArrayList<>();
        sims.add(SyntheticHeldOut.simulation("sim-a", 4000, 3, 11));
        sims.add(SyntheticHeldOut.simulation("sim-b", 4000, 9, 12));
        sims.add(SyntheticHeldOut.simulation("sim-c", 3500, 3, 13));
        test = new HeldOutSet("test", SyntheticHeldOut.metrics(0.58), sims, SKIP_MS);
        ood = new HeldOutSet("ood", SyntheticHeldOut.metrics(0.61), SyntheticHeldOut.simulations("ood", 2, 3000, 6, 21), SKIP_MS);
        history = SyntheticHeldOut.history(12);
        report = EvaluationReport.render("cell1 tcn \"small\" v2", test, ood, history, Map.of("datasetId", "ds-7", "preset", "small"));
    }

    @Test
    void rendersTheNamedFilesInOrder() {
        assertThat(report.keySet()).containsExactly("metrics.json", "roc.png", "soma_voltage.png", "training_curves.png",
                "roc_ood.png", "soma_voltage_ood.png");
    }

    @Test
    void oodFilesAppearOnlyWithAnOodSet() {
        Map<String, byte[]> withoutOod = EvaluationReport.render("m", noSpikeSet(), null, List.of(), null);
        assertThat(withoutOod.keySet()).containsExactly("metrics.json", "roc.png", "soma_voltage.png", "training_curves.png");
    }

    @Test
    void nexusFigureAppearsWhenTheSetCarriesTheDendriticHeadsNexusVoltage() throws IOException {
        List<SimulationResult> sims = new ArrayList<>();
        for (SimulationResult s : test.simulations()) {
            float[] simulated = new float[s.bins()];
            float[] predicted = new float[s.bins()];
            for (int t = 0; t < simulated.length; t++) {
                simulated[t] = (float) (-62 + 5 * Math.sin(t / 90.0));
                predicted[t] = simulated[t] + 0.7f * (float) Math.cos(t / 13.0);
            }
            sims.add(new SimulationResult(s.simulationId(), s.spikeProb(), s.somaMvPredicted(), s.somaMvSimulated(), s.vClipMv(),
                    s.outputSpikeTimesMs(), predicted, simulated));
        }
        EvaluationMetrics metrics = test.metrics().toBuilder().setNexusRmseMv(0.5).setNexusVarianceExplained(0.98).build();
        HeldOutSet withNexus = new HeldOutSet("test", metrics, sims, SKIP_MS);
        assertThat(withNexus.hasNexus()).isTrue();
        Map<String, byte[]> files = EvaluationReport.render("m", withNexus, null, history, null);
        assertThat(files.keySet()).containsExactly("metrics.json", "roc.png", "soma_voltage.png", "nexus_voltage.png", "training_curves.png");
        assertDrawn("nexus_voltage.png", files.get("nexus_voltage.png"), 0.01);
        JsonNode m = JSON.readTree(files.get("metrics.json")).get("test").get("metrics");
        assertThat(m.get("nexusRmseMv").asDouble()).isEqualTo(0.5);
        assertThat(m.get("nexusVarianceExplained").asDouble()).isEqualTo(0.98);
    }

    @Test
    void nexusArraysMustComeTogetherAndMatchTheBins() {
        assertThatThrownBy(() -> new SimulationResult("s", new float[10], new float[10], new float[10], -55, new double[0], new float[10], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nexus");
        assertThatThrownBy(() -> new SimulationResult("s", new float[10], new float[10], new float[10], -55, new double[0], new float[10], new float[9]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nexus");
    }

    @Test
    void pngsDecodeAtTheFigureSizeAndAreNotBlank() throws IOException {
        for (String name : List.of("roc.png", "soma_voltage.png", "training_curves.png", "roc_ood.png", "soma_voltage_ood.png")) {
            assertDrawn(name, report.get(name), 0.01);
        }
    }

    @Test
    void rocAucInMetricsJsonAgreesWithSpikeMetricsOnTheCountedBins() throws IOException {
        Pooled p = pool(test);
        double expected = SpikeMetrics.auc(p.scores, p.labels);
        JsonNode roc = metricsJson().get("test").get("roc");
        assertThat(roc.get("auc").asDouble()).isCloseTo(expected, within(1e-6));
        assertThat(roc.get("positives").asLong()).isEqualTo(p.positives());
        assertThat(roc.get("negatives").asLong()).isEqualTo(p.scores.length - p.positives());
        double t025 = SpikeMetrics.thresholdAtFalseAlarm(p.scores, p.labels, 0.0025);
        assertThat(roc.get("at0p25Fa").get("threshold").asDouble()).isEqualTo(t025);
        assertThat(roc.get("at0p25Fa").get("hitRate").asDouble()).isEqualTo(SpikeMetrics.hitRate(p.scores, p.labels, t025));

        Pooled o = pool(ood);
        assertThat(metricsJson().get("ood").get("roc").get("auc").asDouble()).isCloseTo(SpikeMetrics.auc(o.scores, o.labels), within(1e-6));
    }

    @Test
    void metricsJsonHoldsMetricsHistoryExtraAndRocPoints() throws IOException {
        JsonNode root = metricsJson();
        assertThat(root.get("modelTitle").asText()).isEqualTo("cell1 tcn \"small\" v2");

        JsonNode t = root.get("test");
        assertThat(t.get("skipInitialMs").asInt()).isEqualTo(SKIP_MS);
        assertThat(t.get("simulations").asInt()).isEqualTo(3);
        assertThat(t.get("countedBins").asLong()).isEqualTo(pool(test).scores.length);
        EvaluationMetrics.Builder parsed = EvaluationMetrics.newBuilder();
        JsonFormat.parser().merge(t.get("metrics").toString(), parsed);
        assertThat(parsed.build()).isEqualTo(test.metrics());
        EvaluationMetrics.Builder parsedOod = EvaluationMetrics.newBuilder();
        JsonFormat.parser().merge(root.get("ood").get("metrics").toString(), parsedOod);
        assertThat(parsedOod.build()).isEqualTo(ood.metrics());

        JsonNode fpr = t.get("roc").get("fpr");
        JsonNode tpr = t.get("roc").get("tpr");
        assertThat(fpr.size()).isEqualTo(tpr.size()).isBetween(10, HeldOutAnalysis.MAX_ROC_POINTS);
        assertThat(fpr.get(0).asDouble()).isZero();
        assertThat(tpr.get(tpr.size() - 1).asDouble()).isEqualTo(1.0);
        for (int k = 1; k < fpr.size(); k++) {
            assertThat(fpr.get(k).asDouble()).isGreaterThanOrEqualTo(fpr.get(k - 1).asDouble());
            assertThat(tpr.get(k).asDouble()).isGreaterThanOrEqualTo(tpr.get(k - 1).asDouble());
        }

        JsonNode h = root.get("history");
        assertThat(h.size()).isEqualTo(history.size());
        assertThat(h.get(0).get("valAuc").isNull()).isTrue(); // NaN in the record
        assertThat(h.get(4).get("epoch").asInt()).isEqualTo(5);
        assertThat(h.get(4).get("trainLoss").asDouble()).isEqualTo(history.get(4).trainLoss());
        assertThat(h.get(10).get("learningRate").asDouble()).isEqualTo(3e-4);
        assertThat(h.get(11).get("voltageLossWeight").asDouble()).isEqualTo(0.01);

        assertThat(root.get("extra").get("datasetId").asText()).isEqualTo("ds-7");
        assertThat(root.get("extra").get("preset").asText()).isEqualTo("small");
    }

    @Test
    void voltageFigureShowsTheSimulationWithMostSpikesAfterTheSkip() throws IOException {
        String expected = null;
        int most = -1;
        for (SimulationResult s : test.simulations()) {
            int n = 0;
            for (double t : s.outputSpikeTimesMs()) {
                n += t >= SKIP_MS ? 1 : 0;
            }
            if (n > most) {
                most = n;
                expected = s.simulationId();
            }
        }
        JsonNode e = metricsJson().get("test").get("voltageExample");
        assertThat(e.get("simulationId").asText()).isEqualTo(expected).isEqualTo("sim-b");
        assertThat(e.get("startMs").asInt()).isGreaterThanOrEqualTo(SKIP_MS);
        assertThat(e.get("endMs").asInt() - e.get("startMs").asInt()).isEqualTo(3000);
        assertThat(e.get("threshold").asDouble()).isEqualTo(0.58);
        assertThat(e.get("simulatedSpikes").asInt()).isPositive();
    }

    @Test
    void predictedSpikesAreUpwardCrossingsOfTheThreshold() {
        float[] p = {0.9f, 0.1f, 0.7f, 0.8f, 0.2f, 0.5f, 0.49f, 0.6f};
        assertThat(VoltageExample.crossings(p, 0.5, 0, p.length)).containsExactly(2, 5, 7);
        assertThat(VoltageExample.crossings(p, 0.5, 3, p.length)).containsExactly(5, 7);
    }

    @Test
    void equalInputGivesEqualBytes() {
        Map<String, byte[]> again = EvaluationReport.render("cell1 tcn \"small\" v2", test, ood, history,
                Map.of("preset", "small", "datasetId", "ds-7"));
        assertThat(again.keySet()).isEqualTo(report.keySet());
        for (String name : report.keySet()) {
            assertThat(again.get(name)).as(name).isEqualTo(report.get(name));
        }
    }

    @Test
    void setWithoutCountedSpikesAndEmptyHistoryStillRender() throws IOException {
        Map<String, byte[]> files = EvaluationReport.render("m", noSpikeSet(), null, List.of(), Map.of());
        JsonNode t = JSON.readTree(files.get("metrics.json")).get("test");
        assertThat(t.get("spikeBins").asInt()).isZero(); // the one spike lies in the skipped 500 ms
        assertThat(t.get("roc").get("auc").isNull()).isTrue();
        assertThat(JSON.readTree(files.get("metrics.json")).get("history").size()).isZero();
        assertDrawn("roc.png", files.get("roc.png"), 0.002); // a title and a message only
        assertDrawn("soma_voltage.png", files.get("soma_voltage.png"), 0.01);
        assertDrawn("training_curves.png", files.get("training_curves.png"), 0.002);
    }

    @Test
    void arraysOfDifferentLengthsAreRejected() {
        assertThatThrownBy(() -> new SimulationResult("s", new float[10], new float[10], new float[9], -55, new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("simulation s")
                .hasMessageContaining("differ in length");
    }

    @Test
    void emptySetIsRejected() {
        assertThatThrownBy(() -> new HeldOutSet("test", SyntheticHeldOut.metrics(0.5), List.of(), SKIP_MS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'test' has no simulations");
    }

    @Test
    void setShorterThanTheSkipIsRejected() {
        HeldOutSet tooShort = new HeldOutSet("test", SyntheticHeldOut.metrics(0.5),
                List.of(SyntheticHeldOut.simulation("short", 400, 5, 1)), SKIP_MS);
        assertThatThrownBy(() -> EvaluationReport.render("m", tooShort, null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bins left after skipInitialMs=500");
    }

    @Test
    void nanSpikeProbabilityAndMissingHistoryAreRejected() {
        SimulationResult s = SyntheticHeldOut.simulation("nan", 1000, 5, 1);
        s.spikeProb()[700] = Float.NaN;
        HeldOutSet bad = new HeldOutSet("test", SyntheticHeldOut.metrics(0.5), List.of(s), SKIP_MS);
        assertThatThrownBy(() -> EvaluationReport.render("m", bad, null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spikeProb is NaN at bin 700");
        assertThatThrownBy(() -> EvaluationReport.render("m", test, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history");
    }

    /** One simulation whose only spike lies in the skipped first 500 ms. */
    private static HeldOutSet noSpikeSet() {
        SimulationResult base = SyntheticHeldOut.simulation("quiet", 1500, 0, 5);
        SimulationResult quiet = new SimulationResult("quiet", base.spikeProb(), base.somaMvPredicted(), base.somaMvSimulated(),
                base.vClipMv(), new double[] {100.4});
        return new HeldOutSet("test", SyntheticHeldOut.metrics(0.0), List.of(quiet), SKIP_MS);
    }

    private static JsonNode metricsJson() throws IOException {
        return JSON.readTree(report.get("metrics.json"));
    }

    private record Pooled(float[] scores, boolean[] labels) {
        long positives() {
            long n = 0;
            for (boolean l : labels) {
                n += l ? 1 : 0;
            }
            return n;
        }
    }

    /** The counted bins, pooled here independently of the report: t >= skip, label = spike in bin floor(time). */
    private static Pooled pool(HeldOutSet set) {
        List<Float> scores = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (SimulationResult s : set.simulations()) {
            for (int t = set.skipInitialMs(); t < s.spikeProb().length; t++) {
                boolean spike = false;
                for (double time : s.outputSpikeTimesMs()) {
                    spike |= time >= t && time < t + 1;
                }
                scores.add(s.spikeProb()[t]);
                labels.add(spike);
            }
        }
        float[] sc = new float[scores.size()];
        boolean[] lb = new boolean[labels.size()];
        for (int i = 0; i < sc.length; i++) {
            sc[i] = scores.get(i);
            lb[i] = labels.get(i);
        }
        return new Pooled(sc, lb);
    }

    private static void assertDrawn(String name, byte[] png, double minDrawnFraction) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).as(name + " decodes").isNotNull();
        assertThat(img.getWidth()).as(name).isEqualTo(ReportStyle.WIDTH);
        assertThat(img.getHeight()).as(name).isEqualTo(ReportStyle.HEIGHT);
        double sum = 0;
        double sumSq = 0;
        long nonWhite = 0;
        long n = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                sum += lum;
                sumSq += lum * lum;
                nonWhite += (rgb & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        double mean = sum / n;
        assertThat(mean).as(name + " has a white background").isGreaterThan(200);
        assertThat(sumSq / n - mean * mean).as(name + " luminance variance").isGreaterThan(20);
        assertThat((double) nonWhite / n).as(name + " drawn fraction").isGreaterThan(minDrawnFraction);
    }
}

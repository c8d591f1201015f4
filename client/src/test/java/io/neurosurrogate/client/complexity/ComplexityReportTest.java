package io.neurosurrogate.client.complexity;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ComplexityReportTest {
    private static final ComplexityGrid GRID = new ComplexityGrid("l5pc-nmda", List.of(1, 2, 7), List.of(16, 128), 0.991, 0, null);

    private static CellOutcome ok(int depth, int width, double auc, long params) {
        ComplexityGrid.Point p = new ComplexityGrid.Point(depth, width);
        return CellOutcome.succeeded(p, GRID.modelName(p), "job-" + p.label(), 1, auc, params);
    }

    private static ComplexityReport report(CellOutcome... cells) {
        Map<ComplexityGrid.Point, CellOutcome> m = new HashMap<>();
        for (CellOutcome c : cells) {
            m.put(c.point(), c);
        }
        return new ComplexityReport(GRID, m);
    }

    @Test
    void smallestIsTheFewestParametersAtOrAboveTheTarget() {
        ComplexityReport r = report(ok(1, 16, 0.95, 5_000), ok(1, 128, 0.985, 40_000), ok(2, 16, 0.9910, 9_000),
                ok(2, 128, 0.993, 80_000), ok(7, 16, 0.992, 12_000), ok(7, 128, 0.995, 600_000));
        assertThat(r.smallest()).get().extracting(CellOutcome::point).isEqualTo(new ComplexityGrid.Point(2, 16));
        assertThat(r.best()).get().extracting(CellOutcome::point).isEqualTo(new ComplexityGrid.Point(7, 128));
        assertThat(r.resultLine()).isEqualTo("RESULT neuron=l5pc-nmda target_auc=0.991 smallest_depth=2 smallest_width=16 "
                + "smallest_params=9000 best_auc=0.9950 jobs=6 failed=0");
        assertThat(r.complete()).isTrue();
        assertThat(r.table()).contains("[0.9910*]").contains("0.9850 ").contains("smallest network reaching AUC 0.991: depth 2 x width 16");
    }

    @Test
    void equalParameterCountsGoToTheShallowerNetwork() {
        ComplexityReport r = report(ok(7, 16, 0.999, 10_000), ok(2, 128, 0.992, 10_000), ok(1, 128, 0.9, 10_000));
        assertThat(r.smallest()).get().extracting(CellOutcome::point).isEqualTo(new ComplexityGrid.Point(2, 128));
    }

    @Test
    void nobodyReachingTheTargetNamesNoneAndCountsFailures() {
        ComplexityGrid.Point failedPoint = new ComplexityGrid.Point(7, 128);
        ComplexityGrid.Point cancelledPoint = new ComplexityGrid.Point(7, 16);
        ComplexityReport r = report(ok(1, 16, 0.95, 5_000), ok(2, 128, 0.98, 80_000),
                CellOutcome.failed(failedPoint, GRID.modelName(failedPoint), "job-x", "out of memory"),
                CellOutcome.cancelled(cancelledPoint, GRID.modelName(cancelledPoint), "job-y", "cancelled by the user"));
        assertThat(r.smallest()).isEmpty();
        // two never submitted (pending), one failed, one cancelled
        assertThat(r.resultLine()).isEqualTo("RESULT neuron=l5pc-nmda target_auc=0.991 smallest_depth=none smallest_width=none "
                + "smallest_params=0 best_auc=0.9800 jobs=6 failed=4");
        assertThat(r.complete()).isFalse();
        assertThat(r.table()).contains("failed").contains("cancelled").contains("pending")
                .contains("no network reached AUC 0.991; best: depth 2 x width 128");
        assertThat(report().resultLine()).contains("smallest_depth=none").contains("best_auc=NaN").contains("failed=6");
    }

    @Test
    void jsonParsesAndCarriesTheGrid() {
        ComplexityGrid.Point failedPoint = new ComplexityGrid.Point(7, 128);
        ComplexityReport r = report(ok(1, 16, 0.95, 5_000), ok(2, 16, 0.9925, 9_000),
                CellOutcome.failed(failedPoint, GRID.modelName(failedPoint), "job-x", "said \"no\"\n\tbadly"));
        JsonObject json = JsonParser.parseString(r.json()).getAsJsonObject();
        assertThat(json.get("neuron").getAsString()).isEqualTo("l5pc-nmda");
        assertThat(json.get("target_auc").getAsDouble()).isEqualTo(0.991);
        assertThat(json.get("receptive_field_ms").getAsInt()).isEqualTo(153);
        assertThat(json.getAsJsonArray("depths")).hasSize(3);
        assertThat(json.getAsJsonObject("kernels_ms").getAsJsonArray("7")).hasSize(7);
        assertThat(json.getAsJsonArray("auc").get(1).getAsJsonArray().get(0).getAsDouble()).isEqualTo(0.9925);
        assertThat(json.getAsJsonArray("auc").get(2).getAsJsonArray().get(1).isJsonNull()).isTrue();
        assertThat(json.getAsJsonArray("parameters").get(0).getAsJsonArray().get(0).getAsLong()).isEqualTo(5_000);
        assertThat(json.getAsJsonArray("cells")).hasSize(6);
        assertThat(json.getAsJsonArray("cells").get(5).getAsJsonObject().get("error").getAsString()).isEqualTo("said \"no\"\n\tbadly");
        assertThat(json.getAsJsonObject("smallest").get("width").getAsInt()).isEqualTo(16);
        assertThat(json.getAsJsonObject("smallest").get("depth").getAsInt()).isEqualTo(2);
        assertThat(json.get("failed").getAsInt()).isEqualTo(4);
        assertThat(JsonParser.parseString(report().json()).getAsJsonObject().get("smallest").isJsonNull()).isTrue();
    }

    @Test
    void heatMapIsAReadablePngThatShowsTheCells() throws Exception {
        ComplexityReport r = report(ok(1, 16, 0.95, 5_000), ok(1, 128, 0.985, 40_000), ok(2, 16, 0.9910, 9_000),
                ok(2, 128, 0.993, 80_000), ok(7, 16, 0.992, 12_000));
        byte[] png = ComplexityHeatMap.png(r, 640, 480);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(480);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        // nothing trained at all still draws (an empty grid with its title), rather than failing
        assertThat(ImageIO.read(new ByteArrayInputStream(ComplexityHeatMap.png(report())))).isNotNull();
    }
}

package io.neurosurrogate.client.complexity;

import io.neurosurrogate.core.JsonStrings;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a complexity sweep, complete or not: the AUC table, the smallest network that
 * reaches the target, the JSON file and the RESULT line. A grid point without an outcome counts as
 * pending (never submitted).
 */
public final class ComplexityReport {
    /** Smallest by trainable parameters; equal counts go to the shallower, then the narrower network. */
    private static final Comparator<CellOutcome> SMALLEST = Comparator.comparingLong(CellOutcome::parameters)
            .thenComparingInt(c -> c.point().depth()).thenComparingInt(c -> c.point().width());

    private final ComplexityGrid grid;
    private final Map<ComplexityGrid.Point, CellOutcome> cells = new LinkedHashMap<>();

    public ComplexityReport(ComplexityGrid grid, Map<ComplexityGrid.Point, CellOutcome> outcomes) {
        this.grid = grid;
        for (ComplexityGrid.Point p : grid.points()) {
            CellOutcome c = outcomes.get(p);
            cells.put(p, c != null ? c : CellOutcome.pending(p, grid.modelName(p)));
        }
    }

    public ComplexityGrid grid() {
        return grid;
    }

    /** One outcome per grid point, depth-major. */
    public List<CellOutcome> cells() {
        return List.copyOf(cells.values());
    }

    public CellOutcome cell(ComplexityGrid.Point p) {
        CellOutcome c = cells.get(p);
        if (c == null) {
            throw new IllegalArgumentException(p.label() + " is not on the grid");
        }
        return c;
    }

    /** The smallest network (by trainable parameters, ties by depth) whose test AUC reaches the target. */
    public Optional<CellOutcome> smallest() {
        return cells.values().stream().filter(c -> c.reaches(grid.targetAuc())).min(SMALLEST);
    }

    /** The succeeded network with the highest test AUC (ties: the smaller one). */
    public Optional<CellOutcome> best() {
        return cells.values().stream().filter(CellOutcome::succeeded)
                .min(Comparator.comparingDouble((CellOutcome c) -> -c.testAuc()).thenComparing(SMALLEST));
    }

    public int jobs() {
        return cells.size();
    }

    /** Grid points without a trained model: failed, cancelled, or (in a partial report) unfinished. */
    public int failed() {
        return (int) cells.values().stream().filter(c -> !c.succeeded()).count();
    }

    /** Every job has ended. */
    public boolean complete() {
        return cells.values().stream().allMatch(c -> c.status().isFinal());
    }

    /**
     * Two tables, depth rows x width columns: test spike AUC ({@code *} at or above the target, the
     * smallest such network in brackets; failed and unfinished jobs by state) and trainable
     * parameters; then one line naming the smallest network.
     */
    public String table() {
        Optional<CellOutcome> smallest = smallest();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: test spike AUC by depth x width (receptive field %d ms; * = reaches %s, [ ] = smallest)%n",
                grid.neuron(), grid.receptiveFieldMs(), plain(grid.targetAuc())));
        header(sb);
        for (int d : grid.depths()) {
            sb.append(String.format(Locale.ROOT, "%9d    ", d));
            for (int w : grid.widths()) {
                CellOutcome c = cells.get(new ComplexityGrid.Point(d, w));
                String v;
                if (c.succeeded()) {
                    v = String.format(Locale.ROOT, "%.4f%s", c.testAuc(), c.reaches(grid.targetAuc()) ? "*" : " ");
                    if (smallest.isPresent() && smallest.get().point().equals(c.point())) {
                        v = "[" + v + "]";
                    }
                } else {
                    v = c.status().name().toLowerCase(Locale.ROOT);
                }
                sb.append(String.format(Locale.ROOT, "%11s", v));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format("trainable parameters%n"));
        header(sb);
        for (int d : grid.depths()) {
            sb.append(String.format(Locale.ROOT, "%9d    ", d));
            for (int w : grid.widths()) {
                CellOutcome c = cells.get(new ComplexityGrid.Point(d, w));
                sb.append(String.format(Locale.ROOT, "%11s", c.succeeded() ? compact(c.parameters()) : "-"));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(verdict()).append(System.lineSeparator());
        return sb.toString();
    }

    /** One sentence: the smallest network reaching the target, or the best one when none did. */
    public String verdict() {
        Optional<CellOutcome> s = smallest();
        if (s.isPresent()) {
            CellOutcome c = s.get();
            return String.format(Locale.ROOT, "smallest network reaching AUC %s: depth %d x width %d (%,d parameters, test AUC %.4f, model %s v%d)",
                    plain(grid.targetAuc()), c.point().depth(), c.point().width(), c.parameters(), c.testAuc(), c.modelName(), c.version());
        }
        Optional<CellOutcome> b = best();
        return b.map(c -> String.format(Locale.ROOT, "no network reached AUC %s; best: depth %d x width %d, test AUC %.4f",
                        plain(grid.targetAuc()), c.point().depth(), c.point().width(), c.testAuc()))
                .orElse("no network reached AUC " + plain(grid.targetAuc()) + "; no job succeeded");
    }

    /**
     * {@code RESULT neuron=.. target_auc=.. smallest_depth=<d|none> smallest_width=<w|none>
     * smallest_params=<p|0> best_auc=<auc|NaN> jobs=.. failed=..}
     */
    public String resultLine() {
        Optional<CellOutcome> s = smallest();
        Optional<CellOutcome> b = best();
        return String.format(Locale.ROOT, "RESULT neuron=%s target_auc=%s smallest_depth=%s smallest_width=%s smallest_params=%d best_auc=%s jobs=%d failed=%d",
                grid.neuron(), plain(grid.targetAuc()),
                s.map(c -> Integer.toString(c.point().depth())).orElse("none"),
                s.map(c -> Integer.toString(c.point().width())).orElse("none"),
                s.map(CellOutcome::parameters).orElse(0L),
                b.map(c -> String.format(Locale.ROOT, "%.4f", c.testAuc())).orElse("NaN"),
                jobs(), failed());
    }

    /**
     * The whole outcome as JSON: the grid, the kernel sizes per depth, every cell, AUC and parameter
     * matrices (rows = depths, columns = widths, null without a model), the smallest and best networks.
     */
    public String json() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"neuron\": ").append(quote(grid.neuron())).append(",\n");
        sb.append("  \"target_auc\": ").append(plain(grid.targetAuc())).append(",\n");
        sb.append("  \"receptive_field_ms\": ").append(grid.receptiveFieldMs()).append(",\n");
        sb.append("  \"model_prefix\": ").append(quote(grid.modelPrefix())).append(",\n");
        sb.append("  \"depths\": ").append(grid.depths()).append(",\n");
        sb.append("  \"widths\": ").append(grid.widths()).append(",\n");
        sb.append("  \"kernels_ms\": {");
        for (int i = 0; i < grid.depths().size(); i++) {
            int d = grid.depths().get(i);
            sb.append(i == 0 ? "" : ", ").append('"').append(d).append("\": ")
                    .append(Arrays.toString(ComplexityGrid.kernelSizes(d, grid.receptiveFieldMs())));
        }
        sb.append("},\n");
        sb.append("  \"auc\": ").append(matrix(true)).append(",\n");
        sb.append("  \"parameters\": ").append(matrix(false)).append(",\n");
        sb.append("  \"cells\": [\n");
        List<CellOutcome> all = cells();
        for (int i = 0; i < all.size(); i++) {
            sb.append("    ").append(cellJson(all.get(i))).append(i + 1 < all.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n");
        sb.append("  \"smallest\": ").append(smallest().map(this::cellJson).orElse("null")).append(",\n");
        sb.append("  \"best\": ").append(best().map(this::cellJson).orElse("null")).append(",\n");
        sb.append("  \"jobs\": ").append(jobs()).append(",\n");
        sb.append("  \"failed\": ").append(failed()).append(",\n");
        sb.append("  \"complete\": ").append(complete()).append("\n");
        return sb.append("}\n").toString();
    }

    private String matrix(boolean auc) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < grid.depths().size(); i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < grid.widths().size(); j++) {
                CellOutcome c = cells.get(new ComplexityGrid.Point(grid.depths().get(i), grid.widths().get(j)));
                sb.append(j == 0 ? "" : ", ");
                if (!c.succeeded()) {
                    sb.append("null");
                } else {
                    sb.append(auc ? number(c.testAuc()) : Long.toString(c.parameters()));
                }
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private String cellJson(CellOutcome c) {
        return "{\"depth\": " + c.point().depth() + ", \"width\": " + c.point().width()
                + ", \"model\": " + quote(c.modelName()) + ", \"version\": " + c.version()
                + ", \"job_id\": " + quote(c.jobId()) + ", \"status\": " + quote(c.status().name().toLowerCase(Locale.ROOT))
                + ", \"test_auc\": " + number(c.testAuc()) + ", \"parameters\": " + c.parameters()
                + ", \"reaches_target\": " + c.reaches(grid.targetAuc()) + ", \"error\": " + quote(c.error()) + "}";
    }

    private void header(StringBuilder sb) {
        sb.append("depth \\ width");
        for (int w : grid.widths()) {
            sb.append(String.format(Locale.ROOT, "%11d", w));
        }
        sb.append(System.lineSeparator());
    }

    /** 0.991, not 0.9910000000000001 or 9.91E-1. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** JSON has no NaN: a missing value is null. */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static String compact(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }

    static String quote(String s) {
        return JsonStrings.quote(s);
    }
}

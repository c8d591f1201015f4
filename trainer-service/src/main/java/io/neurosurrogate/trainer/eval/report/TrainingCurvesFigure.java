package io.neurosurrogate.trainer.eval.report;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code training_curves.png}: per epoch, training and validation loss (log axis when all are
 * positive), validation spike AUC, and the schedule (learning rate and loss weights, log axis).
 * Epochs where the schedule changes are marked by vertical lines in all panels.
 */
final class TrainingCurvesFigure {
    private static final int LOSS_HEIGHT = 300;
    private static final int AUC_HEIGHT = 200;
    private static final int SCHEDULE_HEIGHT = ReportStyle.HEIGHT - LOSS_HEIGHT - AUC_HEIGHT;
    /** More schedule changes than this (a decay every epoch, say) are left to the schedule panel. */
    private static final int MAX_CHANGE_LINES = 12;
    /** Fewer epochs than this get a marker per epoch. */
    private static final int MARKER_EPOCHS = 60;
    private static final Color CHANGE_LINE = new Color(120, 120, 120);

    private TrainingCurvesFigure() {
    }

    static byte[] render(String modelTitle, List<EpochRecord> history) {
        String title = modelTitle + ": training curves";
        if (history.isEmpty()) {
            return PngCanvas.message(title, "no training history");
        }
        double[] epochs = values(history, EpochRecord::epoch);
        List<Double> changes = scheduleChanges(history);
        PngCanvas canvas = new PngCanvas(ReportStyle.WIDTH, ReportStyle.HEIGHT);
        int y = panel(canvas, loss(title, history, epochs, changes), 0, LOSS_HEIGHT, "no finite loss recorded");
        y = panel(canvas, auc(history, epochs, changes), y, AUC_HEIGHT, "no validation AUC recorded");
        panel(canvas, schedule(history, epochs, changes), y, SCHEDULE_HEIGHT, "no schedule recorded");
        return canvas.png();
    }

    private static int panel(PngCanvas canvas, XYChart chart, int y, int height, String ifEmpty) {
        if (chart.getSeriesMap().isEmpty()) {
            canvas.text(List.of(ifEmpty), ReportStyle.STACKED_Y_AXIS_WIDTH + 20, y + height / 2 - 10, ReportStyle.TEXT_FONT, ReportStyle.SIMULATED);
            return y + height;
        }
        return canvas.chart(chart, 0, y);
    }

    private static XYChart loss(String title, List<EpochRecord> history, double[] epochs, List<Double> changes) {
        double[] train = values(history, EpochRecord::trainLoss);
        double[] val = values(history, EpochRecord::valLoss);
        boolean log = allPositiveOrNaN(train) && allPositiveOrNaN(val);
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, LOSS_HEIGHT, title, "epoch", log ? "loss (log scale)" : "loss");
        style(chart, epochs, changes);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setXAxisTitleVisible(false);
        series(chart, "training loss", epochs, train, ReportStyle.PREDICTED, epochs.length);
        series(chart, "validation loss", epochs, val, ReportStyle.THRESHOLD, epochs.length);
        if (!chart.getSeriesMap().isEmpty() && !changes.isEmpty() && changes.size() <= MAX_CHANGE_LINES) {
            // Legend entry for the vertical lines: one point draws no line, only the legend shows it.
            XYSeries first = chart.getSeriesMap().values().iterator().next();
            ReportStyle.line(chart, "schedule change (learning rate / loss weights)", new double[] {first.getXData()[0]},
                    new double[] {first.getYData()[0]}, CHANGE_LINE, 1f);
        }
        return chart;
    }

    private static XYChart auc(List<EpochRecord> history, double[] epochs, List<Double> changes) {
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, AUC_HEIGHT, null, "epoch", "validation AUC");
        style(chart, epochs, changes);
        chart.getStyler().setXAxisTitleVisible(false);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        series(chart, "validation spike AUC", epochs, values(history, EpochRecord::valAuc), ReportStyle.SECOND, epochs.length);
        return chart;
    }

    private static XYChart schedule(List<EpochRecord> history, double[] epochs, List<Double> changes) {
        double[] lr = values(history, EpochRecord::learningRate);
        double[] ws = values(history, EpochRecord::spikeLossWeight);
        double[] wv = values(history, EpochRecord::voltageLossWeight);
        boolean log = anyPositive(lr) || anyPositive(ws) || anyPositive(wv);
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, SCHEDULE_HEIGHT, null, "epoch", log ? "value (log scale)" : "value");
        style(chart, epochs, changes);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisDecimalPattern("0E0");
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        series(chart, "learning rate", epochs, log ? positiveOnly(lr) : lr, ReportStyle.PREDICTED, epochs.length);
        series(chart, "spike loss weight", epochs, log ? positiveOnly(ws) : ws, ReportStyle.THRESHOLD, epochs.length);
        series(chart, "voltage loss weight", epochs, log ? positiveOnly(wv) : wv, ReportStyle.THIRD, epochs.length);
        return chart;
    }

    private static void style(XYChart chart, double[] epochs, List<Double> changes) {
        ReportStyle.stacked(chart);
        double first = epochs[0];
        double last = epochs[0];
        for (double e : epochs) {
            first = Math.min(first, e);
            last = Math.max(last, e);
        }
        chart.getStyler().setXAxisMin(first - 0.5);
        chart.getStyler().setXAxisMax(last + 0.5);
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setAnnotationLineColor(CHANGE_LINE);
        if (changes.size() <= MAX_CHANGE_LINES) {
            for (double x : changes) {
                chart.addAnnotation(new AnnotationLine(x, true, false));
            }
        }
    }

    /**
     * Adds the finite points of {@code y} as one series (nothing when there are none: XChart needs
     * data, and the panel then says so instead).
     */
    private static void series(XYChart chart, String name, double[] x, double[] y, Color color, int epochs) {
        int n = 0;
        for (double v : y) {
            n += Double.isFinite(v) ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        double[] fx = new double[n];
        double[] fy = new double[n];
        int k = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k++] = y[i];
            }
        }
        XYSeries s = ReportStyle.line(chart, name, fx, fy, color, 2f);
        if (epochs < MARKER_EPOCHS) {
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(color);
            chart.getStyler().setMarkerSize(7);
        }
    }

    /** Boundaries (epoch - 0.5) where the learning rate or a loss weight differs from the epoch before. */
    private static List<Double> scheduleChanges(List<EpochRecord> history) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < history.size(); i++) {
            EpochRecord a = history.get(i - 1);
            EpochRecord b = history.get(i);
            if (Double.compare(a.learningRate(), b.learningRate()) != 0 || Double.compare(a.spikeLossWeight(), b.spikeLossWeight()) != 0
                    || Double.compare(a.voltageLossWeight(), b.voltageLossWeight()) != 0) {
                out.add(b.epoch() - 0.5);
            }
        }
        return out;
    }

    private static double[] values(List<EpochRecord> history, ToDoubleFunction<EpochRecord> f) {
        double[] out = new double[history.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(history.get(i));
        }
        return out;
    }

    private static boolean allPositiveOrNaN(double[] v) {
        for (double x : v) {
            if (!(x > 0) && !Double.isNaN(x)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyPositive(double[] v) {
        for (double x : v) {
            if (x > 0 && Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }

    private static double[] positiveOnly(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] > 0)) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }
}

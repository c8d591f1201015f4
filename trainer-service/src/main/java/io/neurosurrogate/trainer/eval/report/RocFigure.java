package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.proto.v1.EvaluationMetrics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code roc.png}: hit rate against false-alarm rate of the spike probability over the counted 1 ms
 * bins. Left, the false-alarm rate on a log axis from 1e-4 to 1, where the paper's operating points
 * (0.25 % and 1 % false alarms, Beniaguev et al. 2021, Fig. 2) are visible; right, the usual linear
 * axes and the numbers.
 */
final class RocFigure {
    private static final int LOG_WIDTH = 600;
    private static final int LINEAR_SIZE = 400;

    private RocFigure() {
    }

    static byte[] render(String modelTitle, HeldOutAnalysis a) {
        String title = modelTitle + ": spike ROC, " + a.set().name() + " set";
        if (!a.roc().defined()) {
            return PngCanvas.message(title, a.roc().positives() == 0
                    ? "ROC undefined: no simulated output spike in the " + a.countedBins() + " counted bins"
                    : "ROC undefined: every counted bin holds a simulated output spike");
        }
        PngCanvas canvas = new PngCanvas(ReportStyle.WIDTH, ReportStyle.HEIGHT);
        canvas.chart(logChart(title, a), 0, 0);
        int y = canvas.chart(linearChart(a), LOG_WIDTH, 0);
        canvas.text(numbers(a), LOG_WIDTH + 20, y + 10, ReportStyle.TEXT_FONT, ReportStyle.TEXT);
        return canvas.png();
    }

    private static XYChart logChart(String title, HeldOutAnalysis a) {
        XYChart chart = ReportStyle.chart(LOG_WIDTH, ReportStyle.HEIGHT, title, "false-alarm rate (log scale)", "hit rate");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(RocCurve.LOG_FPR_FLOOR);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.####");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double[][] curve = fromLogFloor(a.roc(), a.rocPlotted());
        ReportStyle.line(chart, ReportStyle.format("ROC, AUC = %.4f", a.roc().auc()), curve[0], curve[1], ReportStyle.PREDICTED, 2.2f);
        double[] chance = new double[41];
        for (int i = 0; i < chance.length; i++) {
            chance[i] = Math.pow(10, -4 + 0.1 * i);
        }
        ReportStyle.dashed(chart, "chance", chance, chance, ReportStyle.CHANCE);
        operatingPoint(chart, a.at0p25Fa(), ReportStyle.THRESHOLD, true);
        operatingPoint(chart, a.at1Fa(), ReportStyle.SECOND, true);
        return chart;
    }

    private static XYChart linearChart(HeldOutAnalysis a) {
        XYChart chart = ReportStyle.chart(LINEAR_SIZE, LINEAR_SIZE, "linear axes", "false-alarm rate", "hit rate");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleFont(ReportStyle.AXIS_TITLE_FONT);
        // The chance line first: hit rates k / positives in order would look equally spaced to XChart,
        // which then puts ticks only on data values.
        ReportStyle.dashed(chart, "chance", new double[] {0, 1}, new double[] {0, 1}, ReportStyle.CHANCE);
        ReportStyle.line(chart, "ROC", a.rocPlotted().fpr(), a.rocPlotted().tpr(), ReportStyle.PREDICTED, 2.2f);
        operatingPoint(chart, a.at0p25Fa(), ReportStyle.THRESHOLD, false);
        operatingPoint(chart, a.at1Fa(), ReportStyle.SECOND, false);
        return chart;
    }

    private static void operatingPoint(XYChart chart, HeldOutAnalysis.OperatingPoint p, Color color, boolean inLegend) {
        if (Double.isNaN(p.hitRate())) {
            return;
        }
        String name = p.label() + " false alarms: hit rate " + ReportStyle.percent(p.hitRate());
        XYSeries s = chart.addSeries(name, new double[] {p.falseAlarmRate()}, new double[] {p.hitRate()});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
        s.setShowInLegend(inLegend);
        chart.getStyler().setMarkerSize(13);
    }

    /**
     * The plotted points with false-alarm rate above the log axis floor, preceded by the curve's
     * value at the floor (interpolated on the full curve), so the line starts at the left edge.
     */
    private static double[][] fromLogFloor(RocCurve full, RocCurve plotted) {
        double[] f = plotted.fpr();
        double[] t = plotted.tpr();
        int first = 0;
        while (first < f.length && f[first] <= RocCurve.LOG_FPR_FLOOR) {
            first++;
        }
        double[] x = new double[f.length - first + 1];
        double[] y = new double[x.length];
        x[0] = RocCurve.LOG_FPR_FLOOR;
        y[0] = full.tprAt(RocCurve.LOG_FPR_FLOOR);
        System.arraycopy(f, first, x, 1, f.length - first);
        System.arraycopy(t, first, y, 1, t.length - first);
        return new double[][] {x, y};
    }

    private static List<String> numbers(HeldOutAnalysis a) {
        EvaluationMetrics m = a.set().metrics();
        List<String> lines = new ArrayList<>();
        lines.add(ReportStyle.format("AUC  %.4f", a.roc().auc()));
        lines.add("hit rate at 0.25 % false alarms: " + ReportStyle.percent(a.at0p25Fa().hitRate()));
        lines.add("   (threshold p >= " + ReportStyle.number(a.at0p25Fa().threshold(), 4) + ")");
        lines.add("hit rate at 1 % false alarms: " + ReportStyle.percent(a.at1Fa().hitRate()));
        lines.add("   (threshold p >= " + ReportStyle.number(a.at1Fa().threshold(), 4) + ")");
        lines.add(ReportStyle.format("%d simulations, %d counted 1 ms bins", a.simulations().size(), a.countedBins()));
        lines.add(ReportStyle.format("(first %d ms of each skipped), %d spike bins", a.set().skipInitialMs(), a.spikeBins()));
        lines.add(ReportStyle.format("soma RMSE %.2f mV, var. explained %.3f", m.getSomaRmseMv(), m.getVarianceExplained()));
        return lines;
    }
}

package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.proto.v1.EvaluationMetrics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.Arrays;

/**
 * {@code soma_voltage.png}: a few seconds of one held-out simulation (see {@link VoltageExample}),
 * three panels on one time axis: simulated soma voltage (raw, spikes included) with the predicted
 * voltage and the clip level; a raster of simulated and predicted spikes; the spike probability
 * with the threshold that makes the predicted spikes.
 */
final class VoltageFigure {
    private static final int VOLTAGE_HEIGHT = 330;
    private static final int RASTER_HEIGHT = 150;
    private static final int PROBABILITY_HEIGHT = ReportStyle.HEIGHT - VOLTAGE_HEIGHT - RASTER_HEIGHT;
    private static final TickMarker TICK = new TickMarker();

    private VoltageFigure() {
    }

    static byte[] render(String modelTitle, HeldOutAnalysis a) {
        VoltageExample e = a.example();
        // Bin t covers [t, t + 1) ms: plotted at its centre. (This also keeps XChart from taking
        // the equally spaced times for categories and labelling only data points.)
        double[] time = new double[e.endMs() - e.startMs()];
        for (int i = 0; i < time.length; i++) {
            time[i] = e.startMs() + i + 0.5;
        }
        PngCanvas canvas = new PngCanvas(ReportStyle.WIDTH, ReportStyle.HEIGHT);
        int y = canvas.chart(voltage(modelTitle, a, e, time), 0, 0);
        y = canvas.chart(raster(e), 0, y);
        canvas.chart(probability(e, time), 0, y);
        return canvas.png();
    }

    private static XYChart voltage(String modelTitle, HeldOutAnalysis a, VoltageExample e, double[] time) {
        EvaluationMetrics m = a.set().metrics();
        String title = ReportStyle.format("%s: %s set, simulation %s (RMSE %.2f mV, var. explained %.3f over the set)",
                modelTitle, a.set().name(), e.simulationId(), m.getSomaRmseMv(), m.getVarianceExplained());
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, VOLTAGE_HEIGHT, title, "time (ms)", "soma voltage (mV)");
        ReportStyle.stacked(chart);
        axis(chart, e);
        chart.getStyler().setXAxisTitleVisible(false);
        SimulationResult s = e.simulation();
        ReportStyle.line(chart, "simulated (raw, with spikes)", time, e.window(s.somaMvSimulated()), ReportStyle.SIMULATED, 1.3f);
        ReportStyle.line(chart, "predicted", time, e.window(s.somaMvPredicted()), ReportStyle.PREDICTED, 1.6f);
        ReportStyle.dashed(chart, ReportStyle.format("clip level %.1f mV", s.vClipMv()), new double[] {e.startMs(), e.endMs()},
                new double[] {s.vClipMv(), s.vClipMv()}, ReportStyle.THRESHOLD);
        return chart;
    }

    private static XYChart raster(VoltageExample e) {
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, RASTER_HEIGHT, null, "time (ms)", "spikes");
        ReportStyle.stacked(chart);
        axis(chart, e);
        chart.getStyler().setXAxisTitleVisible(false);
        chart.getStyler().setYAxisMin(-0.7);
        chart.getStyler().setYAxisMax(1.7);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setMarkerSize(26);
        spikes(chart, "simulated spikes (" + e.simulatedSpikesMs().length + ")", e.simulatedSpikesMs(), 1, Color.BLACK, e);
        spikes(chart, ReportStyle.format("predicted spikes (%d): p crosses %.3f from below", e.predictedSpikesMs().length,
                e.threshold()), e.predictedSpikesMs(), 0, ReportStyle.PREDICTED, e);
        return chart;
    }

    private static void spikes(XYChart chart, String name, double[] timesMs, double row, Color color, VoltageExample e) {
        boolean none = timesMs.length == 0;
        // XChart needs data in every series: an empty row gets one point with no marker, so only the legend shows.
        double[] x = none ? new double[] {e.startMs()} : timesMs;
        double[] y = new double[x.length];
        Arrays.fill(y, row);
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(none ? SeriesMarkers.NONE : TICK);
        s.setMarkerColor(color);
        s.setLineColor(color);
    }

    private static XYChart probability(VoltageExample e, double[] time) {
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, PROBABILITY_HEIGHT, null, "time (ms)", "spike probability");
        ReportStyle.stacked(chart);
        axis(chart, e);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        ReportStyle.line(chart, "spike probability per 1 ms bin", time, e.window(e.simulation().spikeProb()), ReportStyle.PREDICTED, 1.3f);
        ReportStyle.dashed(chart, "threshold at 0.25 % false alarms" + (e.thresholdFromMetrics() ? "" : " (pooled bins)"),
                new double[] {e.startMs(), e.endMs()}, new double[] {e.threshold(), e.threshold()}, ReportStyle.THRESHOLD);
        return chart;
    }

    private static void axis(XYChart chart, VoltageExample e) {
        chart.getStyler().setXAxisMin((double) e.startMs());
        chart.getStyler().setXAxisMax((double) e.endMs());
        chart.getStyler().setXAxisDecimalPattern("#0");
    }
}

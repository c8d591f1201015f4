package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.proto.v1.EvaluationMetrics;
import org.knowm.xchart.XYChart;

/**
 * {@code nexus_voltage.png}, with the dendritic head: the simulated and predicted apical nexus voltage
 * over the same stretch of the same simulation as {@code soma_voltage.png} (see {@link VoltageExample}),
 * one panel, with the set's nexus RMSE and variance explained in the title.
 */
final class NexusFigure {

    private NexusFigure() {
    }

    static byte[] render(String modelTitle, HeldOutAnalysis a) {
        VoltageExample e = a.example();
        SimulationResult s = e.simulation();
        if (!s.hasNexus()) {
            throw new IllegalArgumentException("simulation " + s.simulationId() + " carries no nexus voltage");
        }
        double[] time = new double[e.endMs() - e.startMs()];
        for (int i = 0; i < time.length; i++) {
            time[i] = e.startMs() + i + 0.5;
        }
        EvaluationMetrics m = a.set().metrics();
        String title = ReportStyle.format("%s: %s set, simulation %s (nexus RMSE %.2f mV, var. explained %.3f over the set)",
                modelTitle, a.set().name(), e.simulationId(), m.getNexusRmseMv(), m.getNexusVarianceExplained());
        XYChart chart = ReportStyle.chart(ReportStyle.WIDTH, ReportStyle.HEIGHT, title, "time (ms)", "apical nexus voltage (mV)");
        ReportStyle.stacked(chart);
        chart.getStyler().setXAxisMin((double) e.startMs());
        chart.getStyler().setXAxisMax((double) e.endMs());
        chart.getStyler().setXAxisDecimalPattern("#0");
        ReportStyle.line(chart, "simulated", time, e.window(s.nexusMvSimulated()), ReportStyle.SIMULATED, 1.3f);
        ReportStyle.line(chart, "predicted (dendritic head)", time, e.window(s.nexusMvPredicted()), ReportStyle.PREDICTED, 1.6f);
        PngCanvas canvas = new PngCanvas(ReportStyle.WIDTH, ReportStyle.HEIGHT);
        canvas.chart(chart, 0, 0);
        return canvas.png();
    }
}

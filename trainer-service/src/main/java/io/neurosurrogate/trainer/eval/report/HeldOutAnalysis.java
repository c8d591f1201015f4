package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.core.metrics.SpikeMetrics;

import java.util.List;

/**
 * What the report shows of one held-out set: its counted bins pooled over simulations (bins
 * t >= skipInitialMs; label = a simulated output spike in bin floor(t)), the ROC curve over them
 * with the operating points at 0.25 % and 1 % false alarms (Beniaguev et al. 2021, Fig. 2), and the
 * stretch of one simulation chosen for the voltage figure.
 */
record HeldOutAnalysis(HeldOutSet set, long countedBins, long spikeBins, RocCurve roc, RocCurve rocPlotted,
                       OperatingPoint at0p25Fa, OperatingPoint at1Fa, VoltageExample example) {

    /** Most points of the ROC curve plotted and written to metrics.json. */
    static final int MAX_ROC_POINTS = 2000;

    /** Hit rate at the smallest threshold whose false-alarm rate is at most {@code falseAlarmRate}. */
    record OperatingPoint(String label, double falseAlarmRate, double threshold, double hitRate) {
    }

    static HeldOutAnalysis of(HeldOutSet set) {
        int skip = set.skipInitialMs();
        long total = 0;
        for (SimulationResult s : set.simulations()) {
            total += Math.max(0, s.bins() - skip);
        }
        if (total == 0) {
            throw new IllegalArgumentException("held-out set '" + set.name() + "': no bins left after skipInitialMs=" + skip
                    + " (all " + set.simulations().size() + " simulations are at most " + skip + " ms long)");
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("held-out set '" + set.name() + "' has " + total + " counted bins, more than one array holds");
        }
        float[] scores = new float[(int) total];
        boolean[] labels = new boolean[(int) total];
        int k = 0;
        long spikes = 0;
        for (SimulationResult s : set.simulations()) {
            boolean[] simLabels = s.spikeLabels();
            float[] p = s.spikeProb();
            for (int t = skip; t < s.bins(); t++, k++) {
                if (Float.isNaN(p[t])) {
                    throw new IllegalArgumentException("held-out set '" + set.name() + "', simulation " + s.simulationId()
                            + ": spikeProb is NaN at bin " + t);
                }
                scores[k] = p[t];
                labels[k] = simLabels[t];
                spikes += simLabels[t] ? 1 : 0;
            }
        }
        RocCurve roc = RocCurve.of(scores, labels);
        OperatingPoint p025 = operatingPoint(scores, labels, "0.25 %", 0.0025);
        OperatingPoint p1 = operatingPoint(scores, labels, "1 %", 0.01);
        return new HeldOutAnalysis(set, total, spikes, roc, roc.downsampled(MAX_ROC_POINTS), p025, p1,
                VoltageExample.choose(set, p025.threshold()));
    }

    private static OperatingPoint operatingPoint(float[] scores, boolean[] labels, String label, double falseAlarmRate) {
        double threshold = SpikeMetrics.thresholdAtFalseAlarm(scores, labels, falseAlarmRate);
        return new OperatingPoint(label, falseAlarmRate, threshold, SpikeMetrics.hitRate(scores, labels, threshold));
    }

    List<SimulationResult> simulations() {
        return set.simulations();
    }
}

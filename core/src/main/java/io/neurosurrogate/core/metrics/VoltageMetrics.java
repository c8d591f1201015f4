package io.neurosurrogate.core.metrics;

/** Soma-voltage metrics: RMSE in mV and variance explained (1 - var(residual) / var(target)). */
public final class VoltageMetrics {
    private VoltageMetrics() {
    }

    public static double rmse(float[] predicted, float[] target) {
        check(predicted, target);
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            double d = predicted[i] - target[i];
            sum += d * d;
        }
        return Math.sqrt(sum / target.length);
    }

    public static double varianceExplained(float[] predicted, float[] target) {
        check(predicted, target);
        int n = target.length;
        double meanT = 0;
        double meanR = 0;
        for (int i = 0; i < n; i++) {
            meanT += target[i];
            meanR += target[i] - predicted[i];
        }
        meanT /= n;
        meanR /= n;
        double varT = 0;
        double varR = 0;
        for (int i = 0; i < n; i++) {
            double t = target[i] - meanT;
            double r = target[i] - predicted[i] - meanR;
            varT += t * t;
            varR += r * r;
        }
        return varT == 0 ? Double.NaN : 1.0 - varR / varT;
    }

    private static void check(float[] predicted, float[] target) {
        if (predicted.length != target.length || target.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays: " + predicted.length + " vs " + target.length);
        }
    }
}

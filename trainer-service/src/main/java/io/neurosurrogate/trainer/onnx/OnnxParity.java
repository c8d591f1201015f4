package io.neurosurrogate.trainer.onnx;

/**
 * DL4J vs ONNX Runtime on the same held-out windows: the largest absolute difference of each
 * output. Both are float32 graphs of the same network, so they may differ only by summation order.
 */
public record OnnxParity(double spikeProbMaxAbsDiff, double somaMvMaxAbsDiff, double voltageNormMaxAbsDiff) {

    /** The tolerance both outputs must meet (spike probability, and soma voltage in mV). */
    public static final double TOLERANCE = 1e-4;

    /**
     * @param expectedSpike   DL4J spike probability, [batch][time] row-major
     * @param expectedMv      DL4J voltage de-normalised to mV in float (normalised x std + mean)
     * @param vStdMv          to report the difference in normalised units as well
     */
    public static OnnxParity compare(OnnxRuntimeModel model, float[] input, int batch, int synapses, int time,
                                     float[] expectedSpike, float[] expectedMv, double vStdMv) {
        float[][] actual = model.run(input, batch, synapses, time);
        double ds = maxAbsDiff(actual[0], expectedSpike);
        double dv = maxAbsDiff(actual[1], expectedMv);
        return new OnnxParity(ds, dv, dv / vStdMv);
    }

    /** The number stored as metrics.onnx_max_abs_diff: spike probability and soma voltage in mV. */
    public double maxAbsDiff() {
        return Math.max(spikeProbMaxAbsDiff, somaMvMaxAbsDiff);
    }

    public boolean withinTolerance() {
        return maxAbsDiff() <= TOLERANCE;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }
}

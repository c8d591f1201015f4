package io.neurosurrogate.trainer.onnx;

/**
 * DL4J vs ONNX Runtime on the same held-out windows: the largest absolute difference of each
 * output. Both are float32 graphs of the same network, so they may differ only by summation order.
 * The nexus voltage (dendritic head) is 0 for networks without that head.
 */
public record OnnxParity(double spikeProbMaxAbsDiff, double somaMvMaxAbsDiff, double voltageNormMaxAbsDiff,
                         double nexusMvMaxAbsDiff, double nexusNormMaxAbsDiff) {

    /**
     * The tolerance every output must meet: spike probability, soma voltage in mV, and the nexus
     * voltage on its normalised scale (its mV difference / nexus std: a dendritic trace with calcium
     * spikes spans tens of mV, where float32 rounding alone is ~1e-5 mV).
     */
    public static final double TOLERANCE = 1e-4;

    public OnnxParity(double spikeProbMaxAbsDiff, double somaMvMaxAbsDiff, double voltageNormMaxAbsDiff) {
        this(spikeProbMaxAbsDiff, somaMvMaxAbsDiff, voltageNormMaxAbsDiff, 0, 0);
    }

    /**
     * @param expectedSpike   DL4J spike probability, [batch][time] row-major
     * @param expectedMv      DL4J voltage de-normalised to mV in float (normalised x std + mean)
     * @param vStdMv          to report the difference in normalised units as well
     */
    public static OnnxParity compare(OnnxRuntimeModel model, float[] input, int batch, int synapses, int time,
                                     float[] expectedSpike, float[] expectedMv, double vStdMv) {
        return compare(model, input, batch, synapses, time, expectedSpike, expectedMv, vStdMv, null, 1);
    }

    /**
     * As above, and with {@code expectedNexusMv} (DL4J nexus voltage de-normalised to mV in float)
     * also the dendritic head's output; a model that lacks it while a nexus is expected (or has it
     * while none is) fails with an infinite difference.
     */
    public static OnnxParity compare(OnnxRuntimeModel model, float[] input, int batch, int synapses, int time,
                                     float[] expectedSpike, float[] expectedMv, double vStdMv,
                                     float[] expectedNexusMv, double nexusStdMv) {
        float[][] actual = model.run(input, batch, synapses, time);
        double ds = maxAbsDiff(actual[0], expectedSpike);
        double dv = maxAbsDiff(actual[1], expectedMv);
        double dn = 0;
        if (expectedNexusMv != null || actual.length > 2) {
            dn = expectedNexusMv == null || actual.length < 3 ? Double.POSITIVE_INFINITY : maxAbsDiff(actual[2], expectedNexusMv);
        }
        return new OnnxParity(ds, dv, dv / vStdMv, dn, dn / nexusStdMv);
    }

    /**
     * The number stored as metrics.onnx_max_abs_diff: spike probability, soma voltage in mV and (with
     * the dendritic head) nexus voltage in normalised units.
     */
    public double maxAbsDiff() {
        return Math.max(Math.max(spikeProbMaxAbsDiff, somaMvMaxAbsDiff), nexusNormMaxAbsDiff);
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

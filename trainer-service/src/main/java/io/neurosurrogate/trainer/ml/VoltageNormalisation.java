package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;

import java.util.List;

/**
 * Soma-voltage targets as in Beniaguev et al. 2021: clipped at the spike threshold (spikes removed),
 * then standardised with the mean and standard deviation of the TRAIN simulations (after the skipped
 * initial transient).
 */
public record VoltageNormalisation(double clipMv, double meanMv, double stdMv) {

    public static VoltageNormalisation fit(List<SimulationTrace> train, double clipMv, int skipInitialMs) {
        return fit(SimulationSource.of(train), clipMv, skipInitialMs);
    }

    /** One pass over the training simulations (streamed: one trace at a time). */
    public static VoltageNormalisation fit(SimulationSource train, double clipMv, int skipInitialMs) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int i = 0; i < train.size(); i++) {
            float[] v = train.get(i).somaMv();
            for (int t = Math.min(skipInitialMs, v.length); t < v.length; t++) {
                double x = Math.min(v[t], clipMv);
                sum += x;
                sumSq += x * x;
                n++;
            }
        }
        double mean = n == 0 ? clipMv : sum / n;
        double var = n == 0 ? 0 : sumSq / n - mean * mean;
        // A constant voltage would divide by zero; 1 mV keeps the targets finite.
        double std = var > 1e-12 ? Math.sqrt(var) : 1.0;
        return new VoltageNormalisation(clipMv, mean, std);
    }

    /** Clipped, normalised targets of one simulation, all bins. */
    public float[] normalisedTargets(SimulationTrace s) {
        float[] clipped = s.clippedSomaMv(clipMv);
        float mean = (float) meanMv;
        float std = (float) stdMv;
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = (clipped[i] - mean) / std;
        }
        return clipped;
    }

    /**
     * Back to mV, in float exactly as the ONNX graph does it (Mul by std, Add mean, Min with the clip
     * value: the targets never exceed it, so neither does a prediction).
     */
    public float toMv(float normalised) {
        return Math.min(normalised * (float) stdMv + (float) meanMv, (float) clipMv);
    }
}

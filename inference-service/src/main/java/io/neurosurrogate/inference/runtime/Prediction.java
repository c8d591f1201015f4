package io.neurosurrogate.inference.runtime;

/**
 * Outputs of one run, flat row-major [batch, time]: {@code spikeProb[n * time + t]}.
 *
 * @param computeMs wall time spent inside ONNX Runtime for this run
 * @param nexusMv   apical nexus voltage in mV, [batch, time], for a model with the dendritic head; else null
 */
public record Prediction(int batch, int time, float[] spikeProb, float[] somaMv, double computeMs, float[] nexusMv) {

    /** Without the dendritic head's output. */
    public Prediction(int batch, int time, float[] spikeProb, float[] somaMv, double computeMs) {
        this(batch, time, spikeProb, somaMv, computeMs, null);
    }
}

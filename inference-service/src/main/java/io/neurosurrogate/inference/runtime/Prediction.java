package io.neurosurrogate.inference.runtime;

/**
 * Outputs of one run, flat row-major [batch, time]: {@code spikeProb[n * time + t]}.
 *
 * @param computeMs wall time spent inside ONNX Runtime for this run
 */
public record Prediction(int batch, int time, float[] spikeProb, float[] somaMv, double computeMs) {
}

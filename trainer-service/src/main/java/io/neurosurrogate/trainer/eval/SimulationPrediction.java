package io.neurosurrogate.trainer.eval;

/** Full-length causal prediction for one simulation: spike probability and normalised soma voltage per 1 ms bin. */
public record SimulationPrediction(float[] spikeProb, float[] voltageNorm) {
    public SimulationPrediction {
        if (spikeProb.length != voltageNorm.length) {
            throw new IllegalArgumentException("prediction lengths differ: " + spikeProb.length + " vs " + voltageNorm.length);
        }
    }
}

package io.neurosurrogate.trainer.eval;

/**
 * Full-length causal prediction for one simulation: spike probability and normalised soma voltage per
 * 1 ms bin, and with the dendritic head the normalised apical nexus voltage (null without it).
 */
public record SimulationPrediction(float[] spikeProb, float[] voltageNorm, float[] nexusNorm) {
    public SimulationPrediction {
        if (spikeProb.length != voltageNorm.length || (nexusNorm != null && nexusNorm.length != spikeProb.length)) {
            throw new IllegalArgumentException("prediction lengths differ: " + spikeProb.length + " vs " + voltageNorm.length
                    + (nexusNorm == null ? "" : " vs " + nexusNorm.length));
        }
    }

    public SimulationPrediction(float[] spikeProb, float[] voltageNorm) {
        this(spikeProb, voltageNorm, null);
    }
}

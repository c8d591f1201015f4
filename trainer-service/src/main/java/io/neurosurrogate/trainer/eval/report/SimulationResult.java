package io.neurosurrogate.trainer.eval.report;

/**
 * One held-out simulation, full length, one value per 1 ms bin: the model's spike probability and
 * soma voltage, the simulated soma voltage (raw, spikes included) and the simulated output spike
 * times; with the dendritic head also the predicted and simulated apical nexus voltage (both null
 * without it). The arrays are not copied; do not change them after handing them over.
 *
 * @param vClipMv the level at which voltage targets were clipped (spikes removed), in mV
 */
public record SimulationResult(String simulationId, float[] spikeProb, float[] somaMvPredicted,
                               float[] somaMvSimulated, double vClipMv, double[] outputSpikeTimesMs,
                               float[] nexusMvPredicted, float[] nexusMvSimulated) {

    public SimulationResult(String simulationId, float[] spikeProb, float[] somaMvPredicted, float[] somaMvSimulated,
                            double vClipMv, double[] outputSpikeTimesMs) {
        this(simulationId, spikeProb, somaMvPredicted, somaMvSimulated, vClipMv, outputSpikeTimesMs, null, null);
    }

    public SimulationResult {
        if (simulationId == null) {
            throw new IllegalArgumentException("simulationId is null");
        }
        if (spikeProb == null || somaMvPredicted == null || somaMvSimulated == null || outputSpikeTimesMs == null) {
            throw new IllegalArgumentException("simulation " + simulationId + ": spikeProb, somaMvPredicted, somaMvSimulated "
                    + "and outputSpikeTimesMs must all be given (outputSpikeTimesMs may be empty)");
        }
        if (spikeProb.length != somaMvPredicted.length || spikeProb.length != somaMvSimulated.length) {
            throw new IllegalArgumentException("simulation " + simulationId + ": arrays differ in length: spikeProb "
                    + spikeProb.length + ", somaMvPredicted " + somaMvPredicted.length + ", somaMvSimulated "
                    + somaMvSimulated.length + " (each needs one value per 1 ms bin)");
        }
        if ((nexusMvPredicted == null) != (nexusMvSimulated == null)) {
            throw new IllegalArgumentException("simulation " + simulationId + ": give both nexusMvPredicted and nexusMvSimulated, or neither");
        }
        if (nexusMvPredicted != null && (nexusMvPredicted.length != spikeProb.length || nexusMvSimulated.length != spikeProb.length)) {
            throw new IllegalArgumentException("simulation " + simulationId + ": nexus arrays have " + nexusMvPredicted.length + " and "
                    + nexusMvSimulated.length + " values for " + spikeProb.length + " bins");
        }
        if (spikeProb.length == 0) {
            throw new IllegalArgumentException("simulation " + simulationId + " has no bins");
        }
        if (!Double.isFinite(vClipMv)) {
            throw new IllegalArgumentException("simulation " + simulationId + ": vClipMv is " + vClipMv);
        }
        for (double t : outputSpikeTimesMs) {
            if (Double.isNaN(t)) {
                throw new IllegalArgumentException("simulation " + simulationId + ": an output spike time is NaN");
            }
        }
    }

    /** Whether the dendritic head's nexus voltage (predicted and simulated) is given. */
    public boolean hasNexus() {
        return nexusMvPredicted != null;
    }

    /** Number of 1 ms bins (the simulated duration in ms). */
    public int bins() {
        return spikeProb.length;
    }

    /** Spike label per 1 ms bin: a simulated output spike in bin floor(t); spikes outside the simulation are ignored. */
    boolean[] spikeLabels() {
        boolean[] labels = new boolean[spikeProb.length];
        for (double t : outputSpikeTimesMs) {
            double bin = Math.floor(t);
            if (bin >= 0 && bin < labels.length) {
                labels[(int) bin] = true;
            }
        }
        return labels;
    }
}

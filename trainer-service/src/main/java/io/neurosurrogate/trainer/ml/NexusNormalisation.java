package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;

import java.util.List;

/**
 * Targets of the dendritic head: the apical nexus voltage standardised with the mean and standard
 * deviation of the TRAIN simulations (after the skipped initial transient). Unlike the soma voltage
 * nothing is clipped: dendritic calcium and NMDA spikes are what a dendritic head is for, and there is
 * no output spike to remove from this trace.
 */
public record NexusNormalisation(double meanMv, double stdMv) {

    public static NexusNormalisation fit(List<SimulationTrace> train, int skipInitialMs) {
        return fit(SimulationSource.of(train), skipInitialMs);
    }

    /**
     * One pass over the training simulations (streamed: one trace at a time).
     *
     * @throws DomainException INVALID_ARGUMENT when a simulation records no nexus voltage
     */
    public static NexusNormalisation fit(SimulationSource train, int skipInitialMs) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int i = 0; i < train.size(); i++) {
            float[] v = nexusOf(train.get(i));
            for (int t = Math.min(skipInitialMs, v.length); t < v.length; t++) {
                double x = v[t];
                sum += x;
                sumSq += x * x;
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : sumSq / n - mean * mean;
        // A constant trace would divide by zero; 1 mV keeps the targets finite.
        double std = var > 1e-12 ? Math.sqrt(var) : 1.0;
        return new NexusNormalisation(mean, std);
    }

    /**
     * The simulation's nexus voltage (not copied).
     *
     * @throws DomainException INVALID_ARGUMENT, naming the simulation, when it records none
     */
    public static float[] nexusOf(SimulationTrace s) {
        float[] nexus = s.nexusMv();
        if (nexus == null) {
            throw DomainException.invalid("dendritic_head needs simulations that record the apical nexus voltage (l5pc-*); simulation "
                    + s.meta().getSimulationId() + " has none");
        }
        return nexus;
    }

    /** Checks every simulation of {@code sims} for a nexus trace (reads each once). */
    static void requireNexus(SimulationSource sims) {
        for (int i = 0; i < sims.size(); i++) {
            nexusOf(sims.get(i));
        }
    }

    /** Normalised targets of bins [start, start + length) of {@code s}, written into {@code out} at {@code offset}. */
    void normalisedTargets(SimulationTrace s, int start, int length, float[] out, int offset) {
        float[] v = nexusOf(s);
        float mean = (float) meanMv;
        float std = (float) stdMv;
        for (int i = 0; i < length; i++) {
            out[offset + i] = (v[start + i] - mean) / std;
        }
    }

    /** Back to mV, in float exactly as the ONNX graph does it (Mul by std, Add mean). */
    public float toMv(float normalised) {
        return normalised * (float) stdMv + (float) meanMv;
    }
}

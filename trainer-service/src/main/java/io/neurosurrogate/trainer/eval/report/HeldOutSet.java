package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.proto.v1.EvaluationMetrics;

import java.util.List;

/**
 * A held-out test set, in-distribution ("test") or out-of-distribution ("ood"): the metrics the
 * trainer computed on it, the full-length predictions per simulation, and how many initial
 * milliseconds of each simulation are left out of every score (500 ms in Beniaguev et al. 2021).
 */
public record HeldOutSet(String name, EvaluationMetrics metrics, List<SimulationResult> simulations, int skipInitialMs) {

    public HeldOutSet {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("held-out set needs a name (e.g. \"test\" or \"ood\")");
        }
        if (metrics == null) {
            throw new IllegalArgumentException("held-out set '" + name + "' has no metrics");
        }
        if (simulations == null || simulations.isEmpty()) {
            throw new IllegalArgumentException("held-out set '" + name + "' has no simulations");
        }
        for (SimulationResult s : simulations) {
            if (s == null) {
                throw new IllegalArgumentException("held-out set '" + name + "' contains a null simulation");
            }
        }
        if (skipInitialMs < 0) {
            throw new IllegalArgumentException("held-out set '" + name + "': skipInitialMs must be >= 0, was " + skipInitialMs);
        }
        simulations = List.copyOf(simulations);
    }

    /** Whether every simulation carries the dendritic head's nexus voltage. */
    public boolean hasNexus() {
        for (SimulationResult s : simulations) {
            if (!s.hasNexus()) {
                return false;
            }
        }
        return true;
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Whole simulations split into train / validation / test, so that no held-out bin shares a
 * simulation with a training window. Deterministic: the simulations are ordered by id, shuffled with
 * the training seed, then the first ones go to test, the next to validation, the rest to training.
 */
public record DatasetSplit(List<SimulationTrace> train, List<SimulationTrace> validation, List<SimulationTrace> test) {

    public static DatasetSplit of(List<SimulationTrace> simulations, double validationFraction, double testFraction, long seed) {
        int n = simulations.size();
        if (n < 3) {
            throw DomainException.invalid("need at least 3 simulations (train, validation, test), got " + n);
        }
        List<SimulationTrace> ordered = new ArrayList<>(simulations);
        ordered.sort(Comparator.comparing(s -> s.meta().getSimulationId()));
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).meta().getSimulationId().equals(ordered.get(i - 1).meta().getSimulationId())) {
                throw DomainException.invalid("simulation id " + ordered.get(i).meta().getSimulationId() + " appears twice in the dataset");
            }
        }
        Collections.shuffle(ordered, new Random(seed));
        int nTest = Math.max(1, (int) Math.round(n * testFraction));
        int nVal = Math.max(1, (int) Math.round(n * validationFraction));
        if (nTest + nVal >= n) {
            nTest = 1;
            nVal = 1;
        }
        return new DatasetSplit(
                List.copyOf(ordered.subList(nTest + nVal, n)),
                List.copyOf(ordered.subList(nTest, nTest + nVal)),
                List.copyOf(ordered.subList(0, nTest)));
    }
}

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
 * Works on metadata only; no trace is loaded.
 */
public record DatasetSplit(SimulationSource train, SimulationSource validation, SimulationSource test) {

    public static DatasetSplit of(List<SimulationTrace> simulations, double validationFraction, double testFraction, long seed) {
        return of(SimulationSource.of(simulations), validationFraction, testFraction, seed);
    }

    public static DatasetSplit of(SimulationSource simulations, double validationFraction, double testFraction, long seed) {
        int n = simulations.size();
        if (n < 3) {
            throw DomainException.invalid("need at least 3 simulations (train, validation, test), got " + n);
        }
        List<Integer> ordered = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ordered.add(i);
        }
        ordered.sort(Comparator.comparing(simulations::id));
        for (int i = 1; i < ordered.size(); i++) {
            if (simulations.id(ordered.get(i)).equals(simulations.id(ordered.get(i - 1)))) {
                throw DomainException.invalid("simulation id " + simulations.id(ordered.get(i)) + " appears twice in the dataset");
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
                simulations.subset(ordered.subList(nTest + nVal, n)),
                simulations.subset(ordered.subList(nTest, nTest + nVal)),
                simulations.subset(ordered.subList(0, nTest)));
    }
}

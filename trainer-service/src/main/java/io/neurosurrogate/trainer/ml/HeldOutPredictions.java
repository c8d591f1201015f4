package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.trainer.eval.SimulationPrediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full-length causal predictions of held-out simulations, read one at a time from their source.
 * The traces kept beside the predictions carry no input spikes (only metadata, soma voltage, the
 * nexus voltage when recorded, and output spikes: all that scoring, the dendritic head's included, needs), so a held-out set costs a few floats per bin in memory
 * however many synapses the neuron has.
 */
record HeldOutPredictions(List<SimulationTrace> traces, List<SimulationPrediction> predictions) {
    private static final int[] NO_SPIKES = new int[0];

    static HeldOutPredictions of(CausalPredictor predictor, SimulationSource sims) {
        List<SimulationTrace> traces = new ArrayList<>(sims.size());
        List<SimulationPrediction> predictions = new ArrayList<>(sims.size());
        for (int i = 0; i < sims.size(); i++) {
            SimulationTrace s = sims.get(i);
            predictions.add(predictor.predict(s));
            traces.add(withoutInput(s));
        }
        return new HeldOutPredictions(List.copyOf(traces), List.copyOf(predictions));
    }

    static SimulationTrace withoutInput(SimulationTrace s) {
        int[][] none = new int[s.synapses()][];
        Arrays.fill(none, NO_SPIKES);
        return new SimulationTrace(s.meta(), none, s.somaMv(), s.outputSpikeTimesMs(), s.nexusMv());
    }

    boolean isEmpty() {
        return traces.isEmpty();
    }
}

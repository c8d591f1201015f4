package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.inference.EventGraphs;
import io.neurosurrogate.core.inference.EventInputLayer;
import io.neurosurrogate.core.inference.Int8Graphs;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.trainer.eval.SimulationPrediction;
import io.neurosurrogate.trainer.eval.SurrogateEvaluator;
import io.neurosurrogate.trainer.onnx.OnnxStepModel;

import java.util.ArrayList;
import java.util.List;

/**
 * How accurate the int8 stream (StreamOpen.precision = int8) of a trained model is: the int8 form the
 * inference service would run (the events graph's when the model has one whose tail has a conv to
 * quantise, else the step graph's; core Int8Graphs) driven bin by bin over every held-out simulation
 * from zero state, scored like the float model, and compared with the float predictions. The int8
 * forms are built by the server at load time, so these figures describe exactly what it serves.
 */
record Int8Evaluation(String form, double spikeAuc, double somaRmseMv, double maxDiffProb, double maxDiffMv) {

    /** The figures as metrics fields (int8_*), added to {@code metrics}. */
    EvaluationMetrics addTo(EvaluationMetrics metrics) {
        return metrics.toBuilder().setInt8Form(form).setInt8SpikeAuc(spikeAuc).setInt8SomaRmseMv(somaRmseMv)
                .setInt8MaxAbsDiffProb(maxDiffProb).setInt8MaxAbsDiffMv(maxDiffMv).build();
    }

    /**
     * @param step     the float step graph
     * @param events   the float events graph, or null
     * @param floatHeld the float model's predictions of the same simulations (their order)
     * @return null when neither graph has a conv to quantise
     */
    static Int8Evaluation of(byte[] step, byte[] events, SimulationSource test, HeldOutPredictions floatHeld, VoltageNormalisation norm,
                             int skipInitialMs) {
        EventInputLayer layer = null;
        byte[] int8 = null;
        String form = null;
        if (events != null) {
            EventGraphs.Split split = EventGraphs.split(events);
            byte[] tail = quantised(split.graph());
            if (tail != null) {
                layer = split.layer();
                int8 = tail;
                form = "events";
            }
        }
        if (int8 == null) {
            int8 = quantised(step);
            form = "step";
        }
        if (int8 == null) {
            return null;
        }
        List<SimulationTrace> traces = new ArrayList<>(test.size());
        List<SimulationPrediction> predictions = new ArrayList<>(test.size());
        double maxProb = 0;
        double maxMv = 0;
        try (OnnxStepModel model = new OnnxStepModel(int8)) {
            for (int i = 0; i < test.size(); i++) {
                SimulationTrace s = test.get(i);
                int time = s.durationMs();
                float[][] out = layer == null
                        ? model.runSequence(s.denseInput(0, time), 1, s.synapses(), time)
                        : model.runSequence(features(layer, s), 1, layer.channels(), time);
                float[] voltageNorm = new float[time];
                for (int t = 0; t < time; t++) {
                    voltageNorm[t] = (float) ((out[1][t] - norm.meanMv()) / norm.stdMv());
                }
                SimulationPrediction reference = floatHeld.predictions().get(i);
                for (int t = 0; t < time; t++) {
                    maxProb = Math.max(maxProb, Math.abs(out[0][t] - reference.spikeProb()[t]));
                    double floatMv = Math.min(norm.clipMv(), reference.voltageNorm()[t] * norm.stdMv() + norm.meanMv());
                    maxMv = Math.max(maxMv, Math.abs(out[1][t] - floatMv));
                }
                predictions.add(new SimulationPrediction(out[0], voltageNorm));
                traces.add(floatHeld.traces().get(i));
            }
        }
        EvaluationMetrics m = SurrogateEvaluator.evaluate(traces, predictions, norm, skipInitialMs);
        return new Int8Evaluation(form, m.getSpikeAuc(), m.getSomaRmseMv(), maxProb, maxMv);
    }

    private static byte[] quantised(byte[] graph) {
        try {
            return Int8Graphs.quantise(graph);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The event-driven first layer's output over the whole simulation, [channels][time] row-major. */
    static float[] features(EventInputLayer layer, SimulationTrace s) {
        return features(layer, spikesByBin(s));
    }

    /** The event-driven first layer's output for spikes given per bin, [channels][time] row-major (as a step graph's input). */
    static float[] features(EventInputLayer layer, int[][] byBin) {
        int time = byBin.length;
        float[] byTime = layer.run(byBin);
        int channels = layer.channels();
        float[] out = new float[channels * time];
        for (int t = 0; t < time; t++) {
            for (int c = 0; c < channels; c++) {
                out[c * time + t] = byTime[t * channels + c];
            }
        }
        return out;
    }

    /** Per bin, the synapses that spike in it. */
    static int[][] spikesByBin(SimulationTrace s) {
        int time = s.durationMs();
        int[] counts = new int[time];
        for (int syn = 0; syn < s.synapses(); syn++) {
            for (int b : s.spikeBins(syn)) {
                if (b >= 0 && b < time) {
                    counts[b]++;
                }
            }
        }
        int[][] out = new int[time][];
        for (int t = 0; t < time; t++) {
            out[t] = new int[counts[t]];
            counts[t] = 0;
        }
        for (int syn = 0; syn < s.synapses(); syn++) {
            for (int b : s.spikeBins(syn)) {
                if (b >= 0 && b < time) {
                    out[b][counts[b]++] = syn;
                }
            }
        }
        return out;
    }
}

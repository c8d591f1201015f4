package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.engine.SpikeDetector;
import io.neurosurrogate.simulator.cell.neuron.NeuronRun;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;

import io.neurosurrogate.simulator.cell.model.SegmentRef;

import java.util.List;
import java.util.Map;

/**
 * A {@link BiophysicalCell} run by NEURON (the field's reference simulator) from the same model
 * description as the Java engine, through resources/neuron/driver.py and the project's NMODL files.
 * The soma trace comes back at every step and is resampled and spike-detected by the same code as
 * the Java engine's.
 */
public final class NeuronBackendEngine extends BiophysicalEngine {
    private final NeuronSimulator neuron;

    public NeuronBackendEngine(BiophysicalCell cell, NeuronSimulator neuron) {
        super(cell, Map.of("engine.scheme", "neuron-fixed-step-implicit-euler", "engine.dt_ms", Double.toString(BiophysicalCell.DT_MS)));
        this.neuron = neuron;
    }

    @Override
    public String kind() {
        return NEURON;
    }

    @Override
    public NeuronResponse simulate(SynapticInput input) {
        requireLayout(input);
        List<SegmentRef> record = cell.nexus() == null ? List.of() : List.of(cell.nexus());
        NeuronRun run = neuron.run(cell.model(), cell.release().released(input), input.durationMs(), BiophysicalCell.DT_MS, record);
        NeuronResponse soma = toResponse(run.somaMv(), input.durationMs(), BiophysicalCell.DT_MS);
        return record.isEmpty() ? soma
                : new NeuronResponse(soma.somaMv(), soma.spikeTimesMs(), perMs(run.recordings().get(0), input.durationMs(), BiophysicalCell.DT_MS));
    }

    /** The value at the end of each 1 ms bin of a trace sampled at every step from t = 0. */
    static float[] perMs(double[] full, int durationMs, double dtMs) {
        int stepsPerMs = (int) Math.round(1.0 / dtMs);
        float[] out = new float[durationMs];
        for (int ms = 0; ms < durationMs; ms++) {
            out[ms] = (float) full[(ms + 1) * stepsPerMs];
        }
        return out;
    }

    /** Soma voltage at the end of each 1 ms bin and the spike times, from a trace at every step. */
    public static NeuronResponse toResponse(double[] full, int durationMs, double dtMs) {
        int stepsPerMs = (int) Math.round(1.0 / dtMs);
        if (full.length != durationMs * stepsPerMs + 1) {
            throw new IllegalStateException("NEURON returned " + full.length + " samples, expected " + (durationMs * stepsPerMs + 1));
        }
        return new NeuronResponse(perMs(full, durationMs, dtMs), SpikeDetector.detect(full, BiophysicalCell.SPIKE_THRESHOLD_MV, dtMs));
    }
}

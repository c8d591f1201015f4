package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.engine.CellRun;
import io.neurosurrogate.simulator.cell.engine.CompartmentalSimulation;

import java.util.Map;

/**
 * A {@link BiophysicalCell} on the pure-Java compartmental engine (Hines solver, NEURON's fixed-step
 * implicit Euler at 0.025 ms). Stateless: every call builds its own simulation state.
 */
public final class CompartmentalEngine extends BiophysicalEngine {

    public CompartmentalEngine(BiophysicalCell cell) {
        super(cell, Map.of("engine.scheme", "implicit-euler-hines", "engine.dt_ms", Double.toString(BiophysicalCell.DT_MS)));
    }

    @Override
    public NeuronResponse simulate(SynapticInput input) {
        requireLayout(input);
        int[] record = cell.nexus() == null ? new int[0] : new int[]{cell.tree().segmentNode(cell.nexus())};
        CellRun run = new CompartmentalSimulation(cell.model(), cell.tree(), BiophysicalCell.DT_MS)
                .run(cell.release().released(input), input.durationMs(), BiophysicalCell.SPIKE_THRESHOLD_MV, false, record);
        return new NeuronResponse(run.somaMv(), run.spikeTimesMs(), record.length == 0 ? null : run.recordedMv()[0]);
    }
}

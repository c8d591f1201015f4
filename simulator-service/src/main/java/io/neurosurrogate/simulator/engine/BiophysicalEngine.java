package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.input.InputGenerator;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the Java and the NEURON runs of a {@link BiophysicalCell} share: identity, layout and input. */
abstract class BiophysicalEngine implements NeuronEngine {
    protected final BiophysicalCell cell;
    private final Map<String, String> parameters;

    BiophysicalEngine(BiophysicalCell cell, Map<String, String> extra) {
        this.cell = cell;
        Map<String, String> p = new LinkedHashMap<>(cell.parameters());
        p.putAll(extra);
        this.parameters = Map.copyOf(p);
    }

    public BiophysicalCell cell() {
        return cell;
    }

    @Override
    public String name() {
        return cell.name();
    }

    @Override
    public InputGenerator inputGenerator(InputStatistics overrides) {
        return cell.inputGenerator(overrides);
    }

    @Override
    public int nExc() {
        return cell.model().nExc();
    }

    @Override
    public int nInh() {
        return cell.model().nInh();
    }

    @Override
    public double vRestMv() {
        return cell.model().vInitMv();
    }

    @Override
    public double vThresholdMv() {
        return BiophysicalCell.CLIP_MV;
    }

    @Override
    public double simDtMs() {
        return BiophysicalCell.DT_MS;
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    protected void requireLayout(SynapticInput input) {
        if (input.synapses() != cell.synapses()) {
            throw new IllegalArgumentException(name() + " has " + cell.synapses() + " synapses, the input " + input.synapses());
        }
    }
}

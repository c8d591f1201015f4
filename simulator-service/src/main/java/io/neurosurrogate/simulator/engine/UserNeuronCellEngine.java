package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import io.neurosurrogate.simulator.cell.neuron.NeuronRun;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.cell.neuron.UserCell;
import io.neurosurrogate.simulator.cell.neuron.UserCellDescription;
import io.neurosurrogate.simulator.input.InputGenerator;
import io.neurosurrogate.simulator.input.InputVariant;
import io.neurosurrogate.simulator.input.L5pcBoundInputGenerator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's own NEURON cell (hoc/Python template + mod folder) as a neuron model, so people can build
 * surrogates of their models: NEURON only. One excitatory and one inhibitory synapse of the paper's
 * kinetics (Beniaguev et al. 2021) on every dendritic segment, the paper's input scheme with the
 * apical sections as one tree and all other dendrites as the other.
 */
public final class UserNeuronCellEngine implements NeuronEngine {
    public static final String PREFIX = "neuron-cell:";

    private final String name;
    private final UserCell cell;
    private final UserCellDescription description;
    private final boolean nmda;
    private final NeuronSimulator neuron;
    private final int[] trees;
    private final double[] lengths;
    private final Map<String, String> parameters;

    public UserNeuronCellEngine(String cellName, UserCell cell, boolean nmda, NeuronSimulator neuron) {
        this.name = PREFIX + cellName;
        this.cell = cell;
        this.nmda = nmda;
        this.neuron = neuron;
        this.description = neuron.describeUserCell(cell);
        if (description.sites() == 0) {
            throw new IllegalArgumentException(cellName + ": the cell has no dendritic sections to put synapses on");
        }
        this.trees = description.siteTrees();
        this.lengths = description.siteSegmentLengthsUm();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cell.user_template", cell.template().getFileName().toString());
        p.put("cell.user_template_name", cell.templateName());
        p.put("cell.sites", Integer.toString(description.sites()));
        p.put("cell.celsius", Double.toString(cell.celsius()));
        p.put("cell.v_init_mv", Double.toString(cell.vInitMv()));
        p.put("synapse.nmda", Boolean.toString(nmda));
        p.put("engine.dt_ms", Double.toString(BiophysicalCell.DT_MS));
        this.parameters = Map.copyOf(p);
    }

    public UserCellDescription description() {
        return description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return NEURON;
    }

    @Override
    public InputGenerator inputGenerator(InputStatistics overrides) {
        return L5pcBoundInputGenerator.of(InputVariant.requested(overrides.getVariant(), nmda), overrides, trees, lengths);
    }

    @Override
    public int nExc() {
        return description.nExc();
    }

    @Override
    public int nInh() {
        return description.nInh();
    }

    @Override
    public double vRestMv() {
        return cell.vInitMv();
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

    @Override
    public NeuronResponse simulate(SynapticInput input) {
        if (input.synapses() != 2 * description.sites()) {
            throw new IllegalArgumentException(name + " has " + 2 * description.sites() + " synapses, the input " + input.synapses());
        }
        SynapseParams synapses = nmda ? SynapseParams.PAPER_NMDA : SynapseParams.PAPER_AMPA;
        NeuronRun run = neuron.runUserCell(cell, synapses, input.spikeBins(), input.durationMs(), BiophysicalCell.DT_MS);
        return NeuronBackendEngine.toResponse(run.somaMv(), input.durationMs(), BiophysicalCell.DT_MS);
    }
}

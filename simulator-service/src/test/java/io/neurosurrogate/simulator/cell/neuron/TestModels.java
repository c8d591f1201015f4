package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Hand-made passive cells for the NEURON backend tests. */
final class TestModels {
    static final double E_PAS = -70.0;
    static final double G_PAS = 1e-4;

    private TestModels() {
    }

    static MechanismSpec pas(int nseg) {
        double[] g = new double[nseg];
        double[] e = new double[nseg];
        Arrays.fill(g, G_PAS);
        Arrays.fill(e, E_PAS);
        return new MechanismSpec("pas", Map.of("g", g, "e", e));
    }

    static ModelSection soma() {
        return new ModelSection(new CableSection("soma", SectionType.SOMA, -1, 0.5, 20.0, new double[]{20.0}, new double[]{0.0}),
                1.0, 100.0, 50.0, -85.0, List.of(pas(1)));
    }

    /** soma (20 x 20 um) + one 300 um basal dendrite with 3 segments (diam 2, 1.5, 1 um). */
    static CellModel somaDendrite(double vInit, SynapseParams syn, List<SegmentRef> sites, String extraMechanism) {
        List<MechanismSpec> mechs = new ArrayList<>(List.of(pas(3)));
        if (extraMechanism != null) {
            mechs.add(new MechanismSpec(extraMechanism, Map.of("gbar", new double[]{1e-3, 1e-3, 1e-3})));
        }
        ModelSection dend = new ModelSection(new CableSection("dend[0]", SectionType.BASAL, 0, 0.5, 300.0,
                new double[]{2.0, 1.5, 1.0}, new double[]{50, 150, 250}), 1.0, 100.0, 50.0, -85.0, mechs);
        return new CellModel("passive", List.of(soma(), dend), 34.0, vInit, 2.0, 5e-5, syn, sites);
    }

    /** A single isopotential soma with one synapse site on it. */
    static CellModel somaOnly(double vInit, SynapseParams syn) {
        return new CellModel("soma", List.of(soma()), 34.0, vInit, 2.0, 5e-5, syn, List.of(new SegmentRef(0, 0)));
    }

    static int[][] noSpikes(int synapses) {
        int[][] s = new int[synapses][];
        Arrays.fill(s, new int[0]);
        return s;
    }
}

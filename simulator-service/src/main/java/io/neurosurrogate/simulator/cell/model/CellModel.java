package io.neurosurrogate.simulator.cell.model;

import java.util.List;

/**
 * The one description of a biophysical cell that both the Java engine and the NEURON backend read,
 * so the two cannot drift: geometry, passive properties and mechanisms per segment, temperature,
 * initial voltage and the synapse sites. Synapse {@code k} (excitatory, k &lt; nExc) and synapse
 * {@code nExc + k} (inhibitory) both sit on {@code synapseSites.get(k)}.
 *
 * @param celsius  temperature for the calcium Nernst potential (channel kinetics are fixed at 34 C)
 * @param vInitMv  initial voltage everywhere; channel states start at their steady state there
 * @param caoMm    extracellular calcium, for the Nernst potential
 * @param caiInitMm initial intracellular calcium
 */
public record CellModel(String name, List<ModelSection> sections, double celsius, double vInitMv,
                        double caoMm, double caiInitMm, SynapseParams synapses, List<SegmentRef> synapseSites) {

    public CellModel {
        sections = List.copyOf(sections);
        synapseSites = List.copyOf(synapseSites);
        for (SegmentRef s : synapseSites) {
            if (s.section() < 0 || s.section() >= sections.size()
                    || s.segment() < 0 || s.segment() >= sections.get(s.section()).cable().nseg()) {
                throw new IllegalArgumentException("synapse site " + s + " is not a segment of the cell");
            }
        }
    }

    public int nExc() {
        return synapseSites.size();
    }

    public int nInh() {
        return synapseSites.size();
    }

    public CellGeometry geometry() {
        return new CellGeometry(sections.stream().map(ModelSection::cable).toList());
    }
}

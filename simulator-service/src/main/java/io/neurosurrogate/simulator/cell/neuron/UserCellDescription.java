package io.neurosurrogate.simulator.cell.neuron;

import java.util.List;

/**
 * What the driver found in a user's NEURON cell: the number of synapse sites (one excitatory and one
 * inhibitory synapse each, so spike input needs {@code 2 * sites} rows), the soma section's name,
 * every section's name, nseg and length (um) in NEURON's order (the indices extra recordings refer to), and the
 * dendritic sections the sites lie on, in site order.
 */
public record UserCellDescription(int sites, String soma, List<String> sections, int[] nseg, double[] lengthUm,
                                  List<String> siteSections) {

    public UserCellDescription {
        sections = List.copyOf(sections);
        siteSections = List.copyOf(siteSections);
    }

    /**
     * Length (um) of the segment of every site, in site order: sites run over the dendritic sections
     * ({@link #siteSections()}) segment by segment.
     */
    public double[] siteSegmentLengthsUm() {
        double[] lengths = new double[sites];
        int k = 0;
        for (String name : siteSections) {
            int s = sections.indexOf(name);
            if (s < 0) {
                throw new IllegalStateException("site section " + name + " is not among the cell's sections");
            }
            for (int i = 0; i < nseg[s] && k < sites; i++) {
                lengths[k++] = lengthUm[s] / nseg[s];
            }
        }
        if (k != sites) {
            throw new IllegalStateException("site sections hold " + k + " segments, the cell reported " + sites + " sites");
        }
        return lengths;
    }

    /** For every site, 1 if its section's name contains "apic" (the apical tree), else 0 (basal). */
    public int[] siteTrees() {
        int[] trees = new int[sites];
        int k = 0;
        for (String name : siteSections) {
            int s = sections.indexOf(name);
            for (int i = 0; i < nseg[s] && k < sites; i++) {
                trees[k++] = name.contains("apic") ? 1 : 0;
            }
        }
        return trees;
    }

    public int nExc() {
        return sites;
    }

    public int nInh() {
        return sites;
    }
}

package io.neurosurrogate.simulator.cell.neuron;

import java.util.List;

/**
 * What the driver found in a user's NEURON cell: the number of synapse sites (one excitatory and one
 * inhibitory synapse each, so spike input needs {@code 2 * sites} rows), the soma section's name,
 * every section's name and nseg in NEURON's order (the indices extra recordings refer to), and the
 * dendritic sections the sites lie on, in site order.
 */
public record UserCellDescription(int sites, String soma, List<String> sections, int[] nseg, List<String> siteSections) {

    public UserCellDescription {
        sections = List.copyOf(sections);
        siteSections = List.copyOf(siteSections);
    }

    public int nExc() {
        return sites;
    }

    public int nInh() {
        return sites;
    }
}

package io.neurosurrogate.simulator.cell.model;

/** What part of the cell a section belongs to; decides its biophysics and whether it carries synapses. */
public enum SectionType {
    SOMA, AXON, BASAL, APICAL;

    /** Dendritic sections carry one excitatory and one inhibitory synapse per segment. */
    public boolean isDendrite() {
        return this == BASAL || this == APICAL;
    }

    /** Lower-case name used in the JSON model description ("soma", "axon", "basal", "apical"). */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.neurosurrogate.simulator.cell.model;

import java.util.List;

/** A cable with its passive properties, reversal potentials and inserted mechanisms. */
public record ModelSection(CableSection cable, double cmUfPerCm2, double raOhmCm, double enaMv, double ekMv,
                           List<MechanismSpec> mechanisms) {

    public ModelSection {
        mechanisms = List.copyOf(mechanisms);
        for (MechanismSpec m : mechanisms) {
            for (double[] values : m.params().values()) {
                if (values.length != cable.nseg()) {
                    throw new IllegalArgumentException(cable.name() + "." + m.name() + ": expected " + cable.nseg()
                            + " values per parameter, got " + values.length);
                }
            }
        }
    }
}

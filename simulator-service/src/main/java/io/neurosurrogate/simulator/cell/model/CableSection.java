package io.neurosurrogate.simulator.cell.model;

/**
 * One unbranched cable after discretisation, described the way NEURON describes a section without 3-D
 * points: a length and one diameter per segment (each segment a cylinder of length L/nseg).
 *
 * @param name       unique, e.g. "soma", "dend[3]", "apic[12]", "axon[0]"
 * @param parent     index of the parent section in {@link CellGeometry#sections()}, -1 for the root (soma)
 * @param parentX    where on the parent this section's 0 end attaches (0..1); 1 for a child at the
 *                   parent's far end, 0.5 for trees and axon stubs on the soma
 * @param lengthUm   section length L
 * @param diamUm     one diameter per segment; its length is nseg
 * @param distanceUm path distance from the soma centre (soma(0.5)) to each segment's centre
 */
public record CableSection(String name, SectionType type, int parent, double parentX, double lengthUm,
                           double[] diamUm, double[] distanceUm) {

    public CableSection {
        if (diamUm.length == 0 || diamUm.length != distanceUm.length) {
            throw new IllegalArgumentException(name + ": need one diameter and one distance per segment");
        }
        if (!(lengthUm > 0)) {
            throw new IllegalArgumentException(name + ": length must be > 0, got " + lengthUm);
        }
        for (double d : diamUm) {
            if (!(d > 0)) {
                throw new IllegalArgumentException(name + ": diameters must be > 0, got " + d);
            }
        }
        if (!(parentX >= 0 && parentX <= 1)) {
            throw new IllegalArgumentException(name + ": parentX must be in [0, 1], got " + parentX);
        }
    }

    public int nseg() {
        return diamUm.length;
    }

    /** Length of one segment. */
    public double segmentLengthUm() {
        return lengthUm / diamUm.length;
    }

    /** Membrane area of segment {@code i} in um^2 (a cylinder, no end caps, as NEURON without 3-D points). */
    public double segmentAreaUm2(int i) {
        return Math.PI * diamUm[i] * segmentLengthUm();
    }
}

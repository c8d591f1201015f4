package io.neurosurrogate.simulator.cell.model;

import java.util.List;

/**
 * A discretised cell: sections in an order where every parent precedes its children; section 0 is
 * the soma (the root).
 */
public record CellGeometry(List<CableSection> sections) {

    public CellGeometry {
        sections = List.copyOf(sections);
        if (sections.isEmpty() || sections.get(0).parent() != -1 || sections.get(0).type() != SectionType.SOMA) {
            throw new IllegalArgumentException("section 0 must be the soma, with no parent");
        }
        for (int i = 1; i < sections.size(); i++) {
            int p = sections.get(i).parent();
            if (p < 0 || p >= i) {
                throw new IllegalArgumentException(sections.get(i).name() + ": parent " + p + " must precede it");
            }
        }
    }

    public int totalSegments() {
        int n = 0;
        for (CableSection s : sections) {
            n += s.nseg();
        }
        return n;
    }

    /** Number of segments on sections of {@code type}. */
    public int segments(SectionType type) {
        int n = 0;
        for (CableSection s : sections) {
            if (s.type() == type) {
                n += s.nseg();
            }
        }
        return n;
    }
}

package io.neurosurrogate.simulator.cell.biophysics;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import java.util.List;

/**
 * Path distances (um) of apical segment centres as Hay et al. (2011)'s {@code distribute_channels}
 * sees them (L5PCtemplate.hoc, ModelDB 139653): its {@code getLongestBranch("apic")} moves the distance
 * origin to apic[0](0), the 0 end of the first apical section, and the largest distance is that of
 * the far (1) end of a terminal apical section. {@link CableSection#distanceUm()} is measured from
 * soma(0.5); the soma point where a root tree attaches is converted with the soma length.
 */
final class ApicalDistances {

    private final List<CableSection> sections;
    private final int[] root;
    private final int trunk;
    private final double maxUm;

    private ApicalDistances(List<CableSection> sections, int[] root, int trunk) {
        this.sections = sections;
        this.root = root;
        this.trunk = trunk;
        double max = 0;
        if (trunk >= 0) {
            boolean[] hasChild = new boolean[sections.size()];
            for (CableSection c : sections) {
                if (c.parent() >= 0) {
                    hasChild[c.parent()] = true;
                }
            }
            for (int s = 0; s < sections.size(); s++) {
                CableSection c = sections.get(s);
                if (c.type() == SectionType.APICAL && !hasChild[s]) {
                    int last = c.nseg() - 1;
                    max = Math.max(max, fromOrigin(s, c.distanceUm()[last] + 0.5 * c.segmentLengthUm()));
                }
            }
        }
        this.maxUm = max;
    }

    static ApicalDistances of(CellGeometry geometry) {
        List<CableSection> sections = geometry.sections();
        int[] root = new int[sections.size()];
        int trunk = -1;
        root[0] = 0;
        for (int s = 1; s < sections.size(); s++) {
            int p = sections.get(s).parent();
            root[s] = p == 0 ? s : root[p];
            if (trunk < 0 && sections.get(s).type() == SectionType.APICAL) {
                trunk = s;
            }
        }
        return new ApicalDistances(sections, root, trunk);
    }

    /** Largest distance from apic[0](0) to the far end of a terminal apical section (um). */
    double maxUm() {
        return maxUm;
    }

    /** Distances from apic[0](0) to the segment centres of section {@code s}. */
    double[] fromTrunkOrigin(int s) {
        double[] d = sections.get(s).distanceUm().clone();
        for (int k = 0; k < d.length; k++) {
            d[k] = fromOrigin(s, d[k]);
        }
        return d;
    }

    /** Converts a distance from soma(0.5), on section {@code s}, to one from apic[0](0). */
    private double fromOrigin(int s, double fromSomaCentre) {
        CableSection trunkSection = sections.get(trunk);
        if (trunkSection.parent() != 0) {
            // the first apical section hangs off another section: subtract its 0-end distance
            return fromSomaCentre - (trunkSection.distanceUm()[0] - 0.5 * trunkSection.segmentLengthUm());
        }
        double somaL = sections.get(0).lengthUm();
        double xTrunk = trunkSection.parentX();
        CableSection rootSection = sections.get(root[s]);
        double xRoot = rootSection.parentX();
        double withinTree = fromSomaCentre - Math.abs(xRoot - 0.5) * somaL;
        double overSoma = root[s] == trunk ? 0 : Math.abs(xTrunk - xRoot) * somaL;
        return overSoma + withinTree;
    }
}

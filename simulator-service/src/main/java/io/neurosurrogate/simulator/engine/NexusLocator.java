package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the apical nexus, the main bifurcation of the apical trunk where the tuft begins (the paper
 * records the voltage there, Beniaguev et al. 2021): follow the trunk from the soma, at each branch
 * point into the child with the most dendrite beyond it, and stop at the first section whose two
 * largest child subtrees each hold at least 25 % of the dendrite beyond it. The nexus is that
 * section's last segment.
 */
final class NexusLocator {
    private static final double SPLIT_FRACTION = 0.25;

    private NexusLocator() {
    }

    static Optional<SegmentRef> nexus(CellGeometry geometry) {
        List<CableSection> sections = geometry.sections();
        int n = sections.size();
        List<List<Integer>> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 1; i < n; i++) {
            children.get(sections.get(i).parent()).add(i);
        }
        double[] subtree = new double[n];
        for (int i = n - 1; i >= 0; i--) { // parents precede children: accumulate backwards
            subtree[i] += sections.get(i).lengthUm();
            if (i > 0) {
                subtree[sections.get(i).parent()] += subtree[i];
            }
        }
        int current = -1;
        for (int c : children.get(0)) {
            if (sections.get(c).type() == SectionType.APICAL && (current < 0 || subtree[c] > subtree[current])) {
                current = c;
            }
        }
        if (current < 0) {
            return Optional.empty();
        }
        while (true) {
            List<Integer> kids = children.get(current);
            if (kids.isEmpty()) {
                break;
            }
            int first = -1;
            int second = -1;
            for (int k : kids) {
                if (first < 0 || subtree[k] > subtree[first]) {
                    second = first;
                    first = k;
                } else if (second < 0 || subtree[k] > subtree[second]) {
                    second = k;
                }
            }
            double beyond = subtree[current] - sections.get(current).lengthUm();
            if (second >= 0 && subtree[second] >= SPLIT_FRACTION * beyond) {
                break;
            }
            current = first;
        }
        return Optional.of(new SegmentRef(current, sections.get(current).nseg() - 1));
    }
}

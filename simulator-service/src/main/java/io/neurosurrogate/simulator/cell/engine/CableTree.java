package io.neurosurrogate.simulator.cell.engine;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SegmentRef;

import java.util.List;

/**
 * The electrical tree of a {@link CellModel}, laid out as NEURON lays out a section without 3-D
 * points: one node at every segment centre, plus a node of zero area at the 1 end of every section
 * (where children attach) and, for the root, at its 0 end. Nodes are numbered so that every parent
 * precedes its children, which is what the Hines solver needs (Hines 1984, Int J Biomed Comput 15:69).
 * Immutable; shared by all simulations of one model.
 *
 * <p>Units: areas um^2, axial conductances uS (between a node and its parent, the inverse of the two
 * half-segment resistances Ra * (dx/2) * 4 / (pi d^2) in series), capacitances nF.
 */
public final class CableTree {
    final int nodes;
    /** Parent node of each node; -1 for the root. */
    final int[] parent;
    /** Axial conductance to the parent (uS); 0 for the root. */
    final double[] gAxial;
    /** Membrane area (um^2); 0 at section ends. */
    final double[] area;
    /** Membrane capacitance (nF); 0 at section ends. */
    final double[] capacitance;
    /** First segment-centre node of each section. */
    final int[] firstSegmentNode;
    /** Node of every synapse site, in site order. */
    final int[] siteNode;
    /** Zero-area node at the 1 end of each section. */
    final int[] endNode;
    final int somaNode;

    public CableTree(CellModel model) {
        List<ModelSection> sections = model.sections();
        int n = 1; // the root's 0-end node
        for (ModelSection s : sections) {
            n += s.cable().nseg() + 1;
        }
        nodes = n;
        parent = new int[n];
        gAxial = new double[n];
        area = new double[n];
        capacitance = new double[n];
        firstSegmentNode = new int[sections.size()];
        endNode = new int[sections.size()];
        int[] startNode = new int[sections.size()]; // the node a section's 0 end is attached to

        int next = 0;
        parent[next] = -1;
        int rootZeroEnd = next++;
        for (int si = 0; si < sections.size(); si++) {
            ModelSection ms = sections.get(si);
            CableSection c = ms.cable();
            int attach;
            if (c.parent() < 0) {
                attach = rootZeroEnd;
            } else {
                attach = attachmentNode(sections.get(c.parent()).cable(), c.parentX(),
                        firstSegmentNode[c.parent()], endNode[c.parent()], startNode[c.parent()]);
            }
            startNode[si] = attach;
            double dx = c.segmentLengthUm();
            firstSegmentNode[si] = next;
            int previous = attach;
            double previousHalfR = 0.0;
            for (int seg = 0; seg < c.nseg(); seg++) {
                double halfR = halfSegmentResistanceMOhm(ms.raOhmCm(), dx, c.diamUm()[seg]);
                parent[next] = previous;
                gAxial[next] = 1.0 / (previousHalfR + halfR);
                area[next] = c.segmentAreaUm2(seg);
                capacitance[next] = ms.cmUfPerCm2() * area[next] * 1e-5;
                previous = next++;
                previousHalfR = halfR;
            }
            parent[next] = previous;
            gAxial[next] = 1.0 / previousHalfR;
            endNode[si] = next++;
        }
        somaNode = firstSegmentNode[0] + sections.get(0).cable().nseg() / 2;
        List<SegmentRef> sites = model.synapseSites();
        siteNode = new int[sites.size()];
        for (int k = 0; k < sites.size(); k++) {
            siteNode[k] = segmentNode(sites.get(k));
        }
    }

    /** NEURON's rule: x = 1 is the end node, x = 0 the 0 end, otherwise the segment that contains x. */
    private static int attachmentNode(CableSection parent, double x, int firstSeg, int end, int start) {
        if (x >= 1.0) {
            return end;
        }
        if (x <= 0.0) {
            return start;
        }
        int seg = Math.min(parent.nseg() - 1, (int) (x * parent.nseg()));
        return firstSeg + seg;
    }

    /** Ra (ohm cm) * (dx / 2) (um) * 4 / (pi d^2) (um^2), converted to megaohm (x 1e-2), as NEURON does. */
    static double halfSegmentResistanceMOhm(double raOhmCm, double dxUm, double diamUm) {
        return raOhmCm * (dxUm / 2.0) * 4.0 / (Math.PI * diamUm * diamUm) * 1e-2;
    }

    /** The zero-area node at the 0 end of the root section (the soma). */
    public int rootNode() {
        return 0;
    }

    /** The zero-area node at the 1 end of section {@code section}. */
    public int endNode(int section) {
        return endNode[section];
    }

    public int nodes() {
        return nodes;
    }

    public int somaNode() {
        return somaNode;
    }

    /** The node at the centre of segment {@code ref}. */
    public int segmentNode(SegmentRef ref) {
        return firstSegmentNode[ref.section()] + ref.segment();
    }

    /** The node at the centre of segment {@code segment} of section {@code section}. */
    public int segmentNode(int section, int segment) {
        return firstSegmentNode[section] + segment;
    }
}

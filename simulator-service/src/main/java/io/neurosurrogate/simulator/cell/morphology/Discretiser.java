package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Morphology} into a {@link CellGeometry} the way Hay et al. 2011 (PLoS Comput Biol
 * 7(7):e1002107, L5PCtemplate.hoc) set up their cell in NEURON:
 * <ul>
 *   <li>soma: one cylinder with L = diam = 2r (r from {@link Soma}), so its area is 4 pi r^2; 1 segment;</li>
 *   <li>one section per branch, in the order soma, basal ("dend[i]"), apical ("apic[i]"), each tree
 *       depth first so parents precede children; tree roots attach at soma(0.5), children at parent(1);</li>
 *   <li>section length along the 3-D points; a child branch starts at its parent's last point (Import3d
 *       duplicates that point, with the child's first diameter);</li>
 *   <li>nseg = 1 + 2 * int(L / segmentLength), segmentLength 40 um in Hay 2011 ({@code geom_nseg});</li>
 *   <li>segment diameter = membrane area of the frusta inside the segment / (pi * segment length), so the
 *       traced surface is preserved;</li>
 *   <li>the axon is replaced by two 30 um stubs "axon[0]" (at soma(0.5)) and "axon[1]" (at axon[0](1)),
 *       1 segment each, diameter the mean diameter of the traced axon points within the first 60 um
 *       (Hay 2011 {@code replace_axon}), 1 um without an axon.</li>
 * </ul>
 * Segment distances are path distances (um) from soma(0.5) to the segment centre.
 */
public final class Discretiser {

    /** Hay et al. 2011 maximal segment length parameter (um). */
    public static final double HAY_SEGMENT_LENGTH_UM = 40.0;
    /** Length of each of the two axon stubs (um), Hay 2011. */
    public static final double AXON_STUB_LENGTH_UM = 30.0;
    /** Axon path length over which the stub diameter is averaged (um), Hay 2011. */
    public static final double AXON_DIAM_WINDOW_UM = 60.0;

    private final double segmentLengthUm;

    private Discretiser(double segmentLengthUm) {
        if (!(segmentLengthUm > 0) || !Double.isFinite(segmentLengthUm)) {
            throw new IllegalArgumentException("segment length must be > 0 um, got " + segmentLengthUm);
        }
        this.segmentLengthUm = segmentLengthUm;
    }

    /** The Hay 2011 rule, nseg = 1 + 2 * int(L / 40). */
    public static Discretiser hay() {
        return new Discretiser(HAY_SEGMENT_LENGTH_UM);
    }

    /** nseg = 1 + 2 * int(L / segmentLengthUm). */
    public static Discretiser withSegmentLength(double segmentLengthUm) {
        return new Discretiser(segmentLengthUm);
    }

    public double segmentLengthUm() {
        return segmentLengthUm;
    }

    /** Odd number of segments for a section of length {@code lengthUm}. */
    public int nseg(double lengthUm) {
        return 1 + 2 * (int) (lengthUm / segmentLengthUm);
    }

    public CellGeometry discretise(Morphology m) {
        List<CableSection> out = new ArrayList<>();
        Soma soma = m.soma();
        double r = soma.radiusUm();
        out.add(new CableSection("soma", SectionType.SOMA, -1, 0.0, 2 * r, new double[]{2 * r}, new double[]{0.0}));
        addTrees(m, SectionType.BASAL, "dend", out);
        addTrees(m, SectionType.APICAL, "apic", out);
        double axonDiam = axonStubDiameter(m.trees(SectionType.AXON));
        out.add(new CableSection("axon[0]", SectionType.AXON, 0, 0.5, AXON_STUB_LENGTH_UM,
                new double[]{axonDiam}, new double[]{AXON_STUB_LENGTH_UM / 2}));
        out.add(new CableSection("axon[1]", SectionType.AXON, out.size() - 1, 1.0, AXON_STUB_LENGTH_UM,
                new double[]{axonDiam}, new double[]{1.5 * AXON_STUB_LENGTH_UM}));
        return new CellGeometry(out);
    }

    private void addTrees(Morphology m, SectionType type, String prefix, List<CableSection> out) {
        int count = 0;
        for (Branch root : m.trees(type)) {
            // pre-order walk; remember each branch's section index and path distance of its far end
            List<Branch> order = root.subtree();
            Map<Branch, Integer> position = positions(order);
            int[] index = new int[order.size()];
            double[] endDist = new double[order.size()];
            for (int k = 0; k < order.size(); k++) {
                Branch b = order.get(k);
                String name = prefix + "[" + count++ + "]";
                int parent;
                double parentX;
                double base;
                if (b.parent() == null) {
                    parent = 0;
                    parentX = 0.5;
                    base = 0.0; // attached at soma(0.5): NEURON measures distance() from there
                } else {
                    int pk = position.get(b.parent());
                    parent = index[pk];
                    parentX = 1.0;
                    base = endDist[pk];
                }
                CableSection s = section(name, type, parent, parentX, base, tracedPoints(b), m.source());
                index[k] = out.size();
                endDist[k] = base + s.lengthUm();
                out.add(s);
            }
        }
    }

    private static Map<Branch, Integer> positions(List<Branch> order) {
        Map<Branch, Integer> position = new IdentityHashMap<>();
        for (int k = 0; k < order.size(); k++) {
            position.put(order.get(k), k);
        }
        return position;
    }

    /** The branch's points, preceded for a child by its parent's last point (with the child's diameter). */
    static List<MorphPoint> tracedPoints(Branch b) {
        if (b.parent() == null) {
            return b.points();
        }
        List<MorphPoint> pts = new ArrayList<>(b.points().size() + 1);
        pts.add(b.parent().lastPoint().withDiam(b.firstPoint().diamUm()));
        pts.addAll(b.points());
        return pts;
    }

    private CableSection section(String name, SectionType type, int parent, double parentX, double base,
                                 List<MorphPoint> pts, String source) {
        int n = pts.size();
        double[] s = new double[n];
        for (int i = 1; i < n; i++) {
            s[i] = s[i - 1] + pts.get(i).distanceTo(pts.get(i - 1));
        }
        double length = s[n - 1];
        if (!(length > 0)) {
            throw new IllegalArgumentException(source + ": " + name + " has zero length (" + n + " distinct point(s))");
        }
        int nseg = nseg(length);
        double segLen = length / nseg;
        double[] area = segmentAreas(pts, s, nseg, segLen);
        double[] diam = new double[nseg];
        double[] dist = new double[nseg];
        for (int j = 0; j < nseg; j++) {
            diam[j] = area[j] / (Math.PI * segLen);
            if (!(diam[j] > 0)) {
                throw new IllegalArgumentException(source + ": " + name + " segment " + j + " has zero diameter");
            }
            dist[j] = base + (j + 0.5) * segLen;
        }
        return new CableSection(name, type, parent, parentX, length, diam, dist);
    }

    /**
     * Lateral frustum area in each of the nseg equal segments: every frustum between consecutive points
     * is cut at segment borders, the diameter interpolated linearly along the path, each piece counted
     * as pi (r1 + r2) * slant height.
     */
    static double[] segmentAreas(List<MorphPoint> pts, double[] s, int nseg, double segLen) {
        double[] area = new double[nseg];
        for (int k = 0; k + 1 < pts.size(); k++) {
            double s0 = s[k];
            double s1 = s[k + 1];
            double h = s1 - s0;
            if (h <= 0) {
                continue; // coincident points: no membrane along the path
            }
            double d0 = pts.get(k).diamUm();
            double d1 = pts.get(k + 1).diamUm();
            int j0 = Math.min(nseg - 1, (int) (s0 / segLen));
            for (int j = j0; j < nseg; j++) {
                double a = Math.max(s0, j * segLen);
                if (a >= s1) {
                    break;
                }
                double b = j == nseg - 1 ? s1 : Math.min(s1, (j + 1) * segLen);
                if (b <= a) {
                    continue;
                }
                double da = d0 + (d1 - d0) * (a - s0) / h;
                double db = d0 + (d1 - d0) * (b - s0) / h;
                double dl = b - a;
                double dr = (db - da) / 2;
                area[j] += Math.PI * (da + db) / 2 * Math.sqrt(dl * dl + dr * dr);
            }
        }
        return area;
    }

    /** Mean diameter of the traced axon points within {@link #AXON_DIAM_WINDOW_UM} of the axon's start. */
    static double axonStubDiameter(List<Branch> axonRoots) {
        double sum = 0;
        int count = 0;
        for (Branch root : axonRoots) {
            List<Branch> order = root.subtree();
            Map<Branch, Integer> position = positions(order);
            double[] endDist = new double[order.size()];
            for (int k = 0; k < order.size(); k++) {
                Branch b = order.get(k);
                List<MorphPoint> pts = tracedPoints(b);
                double d = b.parent() == null ? 0 : endDist[position.get(b.parent())];
                int first = b.parent() == null ? 0 : 1; // the duplicated parent point is not counted twice
                for (int i = 0; i < pts.size(); i++) {
                    if (i > 0) {
                        d += pts.get(i).distanceTo(pts.get(i - 1));
                    }
                    if (i >= first && d <= AXON_DIAM_WINDOW_UM) {
                        sum += pts.get(i).diamUm();
                        count++;
                    }
                }
                endDist[k] = d;
            }
        }
        return count == 0 || !(sum > 0) ? 1.0 : sum / count;
    }
}

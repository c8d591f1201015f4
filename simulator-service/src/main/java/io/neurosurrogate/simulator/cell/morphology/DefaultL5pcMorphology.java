package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;

import java.util.ArrayList;
import java.util.List;

/**
 * Our own layer-5 pyramidal cell, generated from pure geometry (no file, no randomness, so every call gives
 * the same cell). Proportions follow the Hay et al. 2011 cells (PLoS Comput Biol 7(7):e1002107) but the
 * cell is smaller, so it simulates faster. All lengths and diameters in um, apical axis +y:
 * <ul>
 *   <li>soma: a 16-point contour of radius 11 (diameter 22);</li>
 *   <li>8 basal trees, 3 levels (root 38 um, then 2 branches of 76-79 um and 4 of 70-118 um), diameter
 *       tapering 1.5 -> 0.5 along each tree, about 4.2 mm in all;</li>
 *   <li>an apical trunk of 797.5 um from the soma surface (nexus at 808.5 um from the soma centre),
 *       diameter 4.5 -> 2.5, cut into 8 sections by 7 oblique branches (78 um, 1.2 -> 0.6);</li>
 *   <li>a tuft from the nexus: 2, 4 and 8 branches (158, 118 and 118 um; 2.0 -> 0.5), about 1.7 mm,
 *       so the apical path reaches ~1200 um and crosses the 685-885 um calcium hot zone;</li>
 *   <li>an axon of 120 um (1.5 -> 1.0), which the discretiser replaces by its two stubs.</li>
 * </ul>
 * With the Hay nseg rule this gives 168 basal and 131 apical segments (299 dendritic, against 639 for
 * Hay's cell #1). Section lengths are kept inside one nseg band (below 40, 80, 120 or 160 um) on purpose.
 */
public final class DefaultL5pcMorphology {

    public static final double SOMA_RADIUS_UM = 11.0;
    private static final int SOMA_CONTOUR_POINTS = 16;
    /** Maximal spacing of generated 3-D points along a branch. */
    private static final double POINT_SPACING_UM = 10.0;

    static final double TRUNK_FIRST_UM = 38.0;
    static final double TRUNK_PIECE_UM = 108.5;
    static final int OBLIQUES = 7;
    static final double OBLIQUE_UM = 78.0;
    static final double[] TUFT_LEVEL_UM = {158.0, 118.0, 118.0};
    static final double[] TUFT_DIAM_UM = {2.0, 1.5, 1.0, 0.5};
    static final double TRUNK_DIAM_START_UM = 4.5;
    static final double TRUNK_DIAM_END_UM = 2.5;
    static final int BASAL_TREES = 8;
    static final double BASAL_ROOT_UM = 38.0;
    static final double BASAL_DIAM_START_UM = 1.5;
    static final double BASAL_DIAM_END_UM = 0.5;
    static final double AXON_UM = 120.0;

    private DefaultL5pcMorphology() {
    }

    public static Morphology generate() {
        List<MorphPoint> contour = new ArrayList<>();
        for (int i = 0; i < SOMA_CONTOUR_POINTS; i++) {
            double a = 2 * Math.PI * i / SOMA_CONTOUR_POINTS;
            contour.add(new MorphPoint(SOMA_RADIUS_UM * Math.cos(a), SOMA_RADIUS_UM * Math.sin(a), 0, 0.5));
        }
        Soma soma = Soma.fromContour(contour);
        List<Branch> trees = new ArrayList<>();
        for (int t = 0; t < BASAL_TREES; t++) {
            trees.add(basalTree(t));
        }
        trees.add(apicalTree());
        trees.add(axon());
        return new Morphology("default L5PC (generated)", soma, trees);
    }

    /** Basal tree {@code t}: roots spread around the soma, pointing sideways and down. */
    private static Branch basalTree(int t) {
        double az = 360.0 * t / BASAL_TREES + 10.0;
        double el = -25.0 - 10.0 * (t % 3);
        double[] dir = direction(az, el);
        double[] start = scale(dir, SOMA_RADIUS_UM);
        double[] l2 = {76.0 + (t % 3), 79.0 - (t % 2) * 3.0};
        double[][] l3 = {{115.0 + (t % 4), 74.0 + (t % 5)}, {78.0, 70.0 + (t % 4) * 2.0}};
        double total = BASAL_ROOT_UM + Math.max(l2[0] + Math.max(l3[0][0], l3[0][1]), l2[1] + Math.max(l3[1][0], l3[1][1]));
        Taper taper = new Taper(BASAL_DIAM_START_UM, BASAL_DIAM_END_UM, total);
        Branch root = straight(SectionType.BASAL, start, dir, BASAL_ROOT_UM, taper, 0.0);
        for (int i = 0; i < 2; i++) {
            double[] d2 = direction(az + (i == 0 ? -30 : 30), el - 5);
            Branch b2 = straight(SectionType.BASAL, end(root), d2, l2[i], taper, BASAL_ROOT_UM);
            root.addChild(b2);
            for (int j = 0; j < 2; j++) {
                double[] d3 = direction(az + (i == 0 ? -30 : 30) + (j == 0 ? -20 : 20), el - 15);
                b2.addChild(straight(SectionType.BASAL, end(b2), d3, l3[i][j], taper, BASAL_ROOT_UM + l2[i]));
            }
        }
        return root;
    }

    /** Trunk along +y with an oblique at each of the first 7 branch points, then the tuft at the nexus. */
    private static Branch apicalTree() {
        double[] up = {0, 1, 0};
        double trunkLength = TRUNK_FIRST_UM + OBLIQUES * TRUNK_PIECE_UM;
        Taper trunkTaper = new Taper(TRUNK_DIAM_START_UM, TRUNK_DIAM_END_UM, trunkLength);
        Branch root = straight(SectionType.APICAL, scale(up, SOMA_RADIUS_UM), up, TRUNK_FIRST_UM, trunkTaper, 0.0);
        Branch piece = root;
        double s = TRUNK_FIRST_UM;
        for (int k = 0; k < OBLIQUES; k++) {
            double[] obl = direction(137.5 * k, 30.0); // golden-angle spiral around the trunk
            piece.addChild(straight(SectionType.APICAL, end(piece), obl, OBLIQUE_UM, new Taper(1.2, 0.6, OBLIQUE_UM), 0.0));
            Branch next = straight(SectionType.APICAL, end(piece), up, TRUNK_PIECE_UM, trunkTaper, s);
            piece.addChild(next);
            piece = next;
            s += TRUNK_PIECE_UM;
        }
        addTuft(piece, 0, 0.0);
        return root;
    }

    private static void addTuft(Branch parent, int level, double az) {
        if (level == TUFT_LEVEL_UM.length) {
            return;
        }
        double el = 70.0 - 10.0 * level;
        double spread = 90.0 / (level + 1);
        Taper taper = new Taper(TUFT_DIAM_UM[level], TUFT_DIAM_UM[level + 1], TUFT_LEVEL_UM[level]);
        for (int i = 0; i < 2; i++) {
            double a = level == 0 ? 180.0 * i : az + (i == 0 ? -spread : spread);
            Branch b = straight(SectionType.APICAL, end(parent), direction(a, el), TUFT_LEVEL_UM[level], taper, 0.0);
            parent.addChild(b);
            addTuft(b, level + 1, a);
        }
    }

    private static Branch axon() {
        double[] down = {0, -1, 0};
        return straight(SectionType.AXON, scale(down, SOMA_RADIUS_UM), down, AXON_UM, new Taper(1.5, 1.0, AXON_UM), 0.0);
    }

    /** Linear diameter taper over a path of {@code length} um. */
    private record Taper(double start, double end, double length) {
        double at(double s) {
            return start + (end - start) * Math.min(1.0, s / length);
        }
    }

    /**
     * A straight branch from {@code from} along unit vector {@code dir}, {@code length} um long, points at
     * most {@link #POINT_SPACING_UM} apart; diameter from {@code taper} at path {@code s0 + t}.
     */
    private static Branch straight(SectionType type, double[] from, double[] dir, double length, Taper taper, double s0) {
        Branch b = new Branch(type);
        int steps = (int) Math.ceil(length / POINT_SPACING_UM);
        for (int i = 0; i <= steps; i++) {
            double t = length * i / steps;
            b.addPoint(new MorphPoint(from[0] + t * dir[0], from[1] + t * dir[1], from[2] + t * dir[2], taper.at(s0 + t)));
        }
        return b;
    }

    private static double[] end(Branch b) {
        MorphPoint p = b.lastPoint();
        return new double[]{p.x(), p.y(), p.z()};
    }

    /** Unit vector at azimuth {@code azDeg} around the y axis and elevation {@code elDeg} above the x-z plane. */
    private static double[] direction(double azDeg, double elDeg) {
        double az = Math.toRadians(azDeg);
        double el = Math.toRadians(elDeg);
        return new double[]{Math.cos(el) * Math.cos(az), Math.sin(el), Math.cos(el) * Math.sin(az)};
    }

    private static double[] scale(double[] v, double k) {
        return new double[]{v[0] * k, v[1] * k, v[2] * k};
    }
}

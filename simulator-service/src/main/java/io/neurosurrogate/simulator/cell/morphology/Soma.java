package io.neurosurrogate.simulator.cell.morphology;

import java.util.List;

/**
 * The soma of a reconstruction reduced to what the discretiser needs: a centre and an equivalent sphere
 * radius r (um), so that the soma becomes one cylinder with L = diam = 2r (side area 4 pi r^2, the area of
 * the sphere). {@code outline} keeps the source points (contour or SWC soma points) for reference.
 */
public record Soma(double x, double y, double z, double radiusUm, List<MorphPoint> outline) {

    public Soma {
        outline = List.copyOf(outline);
        if (!(radiusUm > 0) || !Double.isFinite(radiusUm)) {
            throw new IllegalArgumentException("soma radius must be > 0, got " + radiusUm);
        }
    }

    /**
     * Soma from a traced contour (Neurolucida CellBody): the centroid of the points and the mean distance
     * of the points to it as radius.
     */
    public static Soma fromContour(List<MorphPoint> contour) {
        if (contour.isEmpty()) {
            throw new IllegalArgumentException("soma contour has no points");
        }
        double cx = 0;
        double cy = 0;
        double cz = 0;
        for (MorphPoint p : contour) {
            cx += p.x();
            cy += p.y();
            cz += p.z();
        }
        int n = contour.size();
        MorphPoint c = new MorphPoint(cx / n, cy / n, cz / n, 0);
        double r = 0;
        for (MorphPoint p : contour) {
            r += p.distanceTo(c);
        }
        r /= n;
        if (!(r > 0)) {
            throw new IllegalArgumentException("soma contour of " + n + " points is degenerate (zero radius)");
        }
        return new Soma(c.x(), c.y(), c.z(), r, contour);
    }

    public MorphPoint centre() {
        return new MorphPoint(x, y, z, 2 * radiusUm);
    }
}

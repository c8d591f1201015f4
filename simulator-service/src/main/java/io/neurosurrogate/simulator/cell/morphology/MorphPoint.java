package io.neurosurrogate.simulator.cell.morphology;

/**
 * One traced 3-D point of a reconstruction: position and diameter, all in um (as written in .asc files;
 * SWC radii are doubled on reading).
 */
public record MorphPoint(double x, double y, double z, double diamUm) {

    public MorphPoint {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z) || !Double.isFinite(diamUm)) {
            throw new IllegalArgumentException("point coordinates must be finite: " + x + " " + y + " " + z + " " + diamUm);
        }
        if (diamUm < 0) {
            throw new IllegalArgumentException("point diameter must be >= 0, got " + diamUm);
        }
    }

    /** Euclidean distance to {@code o} in um. */
    public double distanceTo(MorphPoint o) {
        double dx = x - o.x;
        double dy = y - o.y;
        double dz = z - o.z;
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** This position with another diameter. */
    public MorphPoint withDiam(double d) {
        return new MorphPoint(x, y, z, d);
    }
}

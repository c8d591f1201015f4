package io.neurosurrogate.simulator.cell.channels;

/** The per-node parameter checks every mechanism constructor makes; messages name mechanism and parameter. */
final class ParameterChecks {

    private ParameterChecks() {
    }

    /** A copy of {@code values}, which must hold one value per node, each finite and at least {@code min} ({@code > min} when {@code strict}). */
    static double[] perNode(String mechanism, String param, double[] values, int nodes, double min, boolean strict) {
        if (values.length != nodes) {
            throw new IllegalArgumentException(mechanism + ": " + param + " has " + values.length + " values for " + nodes + " nodes");
        }
        for (double v : values) {
            boolean inRange = strict ? v > min : v >= min;
            if (!inRange || !Double.isFinite(v)) {
                throw new IllegalArgumentException(mechanism + ": " + param + " must be finite and " + (strict ? "> " : ">= ")
                        + min + ", got " + v);
            }
        }
        return values.clone();
    }

    /** A copy of {@code values}, which must hold one finite value per node. */
    static double[] perNodeFinite(String mechanism, String param, double[] values, int nodes) {
        return perNode(mechanism, param, values, nodes, Double.NEGATIVE_INFINITY, true);
    }
}

package io.neurosurrogate.simulator.cell.channels;

/**
 * NEURON's built-in passive leak "pas": {@code i = g (v - e)}, g in S/cm2, e in mV. No states.
 */
public final class Pas implements Mechanism {

    public static final String NAME = "pas";

    private final int[] nodes;
    private final double[] g;
    private final double[] e;

    public Pas(int[] nodes, double[] g, double[] e) {
        this.nodes = nodes;
        this.g = ParameterChecks.perNode(NAME, "g", g, nodes.length, 0, false);
        this.e = ParameterChecks.perNodeFinite(NAME, "e", e, nodes.length);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] nodes() {
        return nodes;
    }

    @Override
    public void initialise(CellState state) {
        // no states
    }

    @Override
    public void current(CellState state, double[] i, double[] gOut) {
        for (int k = 0; k < nodes.length; k++) {
            int n = nodes[k];
            i[n] += g[k] * (state.v[n] - e[k]);
            gOut[n] += g[k];
        }
    }

    @Override
    public void advance(CellState state, double dtMs) {
        // no states
    }
}

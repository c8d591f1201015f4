package io.neurosurrogate.simulator.cell.channels;

/**
 * Kv3.1 (Shaw-related) K current "SKv3_1", {@code gbar m (v - ek)}, after Rettig et al. (1992), as
 * in Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653, SKv3_1.mod). The published
 * file has no temperature correction; neither has this.
 */
public final class SKv31 extends VoltageGatedChannel {

    public static final String NAME = "SKv3_1";

    public SKv31(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 1, 0, Ion.K);
    }

    @Override
    public void rates(double v) {
        mInf = 1 / (1 + Math.exp(((v - (18.700)) / (-9.700))));
        mTau = 0.2 * 20.000 / (1 + Math.exp(((v - (-46.560)) / (-44.140))));
    }

    /** The cnexp loop with this class's own rates, so the JIT inlines it (see GatedChannel#advance). */
    @Override
    public void advance(CellState state, double dtMs) {
        int[] nodes = nodes();
        double[] v = state.v;
        for (int k = 0; k < nodes.length; k++) {
            rates(v[nodes[k]]);
            relax(k, dtMs);
        }
    }
}

package io.neurosurrogate.simulator.cell.channels;

/**
 * Muscarinic K current "Im", {@code gbar m (v - ek)}, after Adams et al. (1982), as in Hay et al.
 * (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653, Im.mod). q10 2.3 from 21 to 34 C.
 */
public final class Im extends VoltageGatedChannel {

    public static final String NAME = "Im";

    public Im(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 1, 0, Ion.K);
    }

    @Override
    public void rates(double v) {
        double mAlpha = 3.3e-3 * Math.exp(2.5 * 0.04 * (v - -35));
        double mBeta = 3.3e-3 * Math.exp(-2.5 * 0.04 * (v - -35));
        mInf = mAlpha / (mAlpha + mBeta);
        mTau = (1 / (mAlpha + mBeta)) / QT_34;
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

package io.neurosurrogate.simulator.cell.channels;

/**
 * High-voltage-activated Ca current "Ca_HVA", {@code gbar m^2 h (v - eca)}, after Reuveni et al.
 * (1993), as in Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653, Ca_HVA.mod). No
 * temperature correction in the published file. The singular point v = -27 mV is stepped over by
 * 1e-4 mV. Adds its current to {@code ica}.
 */
public final class CaHva extends VoltageGatedChannel {

    public static final String NAME = "Ca_HVA";

    public CaHva(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 2, 1, Ion.CA);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv;
        if (v == -27) {
            v = v + 0.0001;
        }
        double mAlpha = (0.055 * (-27 - v)) / (Math.exp((-27 - v) / 3.8) - 1);
        double mBeta = (0.94 * Math.exp((-75 - v) / 17));
        mInf = mAlpha / (mAlpha + mBeta);
        mTau = 1 / (mAlpha + mBeta);
        double hAlpha = (0.000457 * Math.exp((-13 - v) / 50));
        double hBeta = (0.0065 / (Math.exp((-v - 15) / 28) + 1));
        hInf = hAlpha / (hAlpha + hBeta);
        hTau = 1 / (hAlpha + hBeta);
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

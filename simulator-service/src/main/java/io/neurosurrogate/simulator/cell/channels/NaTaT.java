package io.neurosurrogate.simulator.cell.channels;

/**
 * Fast inactivating (transient) Na current "NaTa_t", {@code gbar m^3 h (v - ena)}, after Colbert &amp;
 * Pan (2002) as used by Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653,
 * NaTa_t.mod): rates corrected to 34 C with q10 2.3 from 21 C. The singular points of the rate
 * functions (v = -38 and -66 mV) are stepped over by 1e-4 mV exactly as in the published file.
 */
public final class NaTaT extends VoltageGatedChannel {

    public static final String NAME = "NaTa_t";

    public NaTaT(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 3, 1, Ion.NA);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv;
        if (v == -38) {
            v = v + 0.0001;
        }
        double mAlpha = (0.182 * (v - -38)) / (1 - Math.exp(-(v - -38) / 6));
        double mBeta = (0.124 * (-v - 38)) / (1 - Math.exp(-(-v - 38) / 6));
        mTau = (1 / (mAlpha + mBeta)) / QT_34;
        mInf = mAlpha / (mAlpha + mBeta);
        if (v == -66) {
            v = v + 0.0001;
        }
        double hAlpha = (-0.015 * (v - -66)) / (1 - Math.exp((v - -66) / 6));
        double hBeta = (-0.015 * (-v - 66)) / (1 - Math.exp((-v - 66) / 6));
        hTau = (1 / (hAlpha + hBeta)) / QT_34;
        hInf = hAlpha / (hAlpha + hBeta);
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

package io.neurosurrogate.simulator.cell.channels;

/**
 * The transient Na current of Colbert &amp; Pan (2002) as Hay et al. (2011, PLoS Comput Biol
 * 7(7):e1002107, ModelDB 139653) use it in NaTa_t.mod and NaTs2_t.mod, which differ only in the
 * half-activation and half-inactivation voltages: {@code gbar m^3 h (v - ena)}, rates corrected to
 * 34 C with q10 2.3 from 21 C, the singular points (v = mHalf, v = hHalf) stepped over by 1e-4 mV
 * exactly as in the published files.
 */
abstract class TransientSodium extends VoltageGatedChannel {
    private final double mHalf;
    private final double hHalf;

    TransientSodium(String name, int[] nodes, double[] gbar, double mHalfMv, double hHalfMv) {
        super(name, nodes, gbar, 3, 1, Ion.NA);
        this.mHalf = mHalfMv;
        this.hHalf = hHalfMv;
    }

    @Override
    public final void rates(double vMv) {
        double v = vMv;
        if (v == mHalf) {
            v = v + 0.0001;
        }
        double mAlpha = (0.182 * (v - mHalf)) / (1 - Math.exp(-(v - mHalf) / 6));
        double mBeta = (0.124 * (-v + mHalf)) / (1 - Math.exp(-(-v + mHalf) / 6));
        mTau = (1 / (mAlpha + mBeta)) / QT_34;
        mInf = mAlpha / (mAlpha + mBeta);
        if (v == hHalf) {
            v = v + 0.0001;
        }
        double hAlpha = (-0.015 * (v - hHalf)) / (1 - Math.exp((v - hHalf) / 6));
        double hBeta = (-0.015 * (-v + hHalf)) / (1 - Math.exp((-v + hHalf) / 6));
        hTau = (1 / (hAlpha + hBeta)) / QT_34;
        hInf = hAlpha / (hAlpha + hBeta);
    }

    /** The cnexp loop with this class's own rates, so the JIT inlines it (see GatedChannel#advance). */
    @Override
    public final void advance(CellState state, double dtMs) {
        int[] nodes = nodes();
        double[] v = state.v;
        for (int k = 0; k < nodes.length; k++) {
            rates(v[nodes[k]]);
            relax(k, dtMs);
        }
    }
}

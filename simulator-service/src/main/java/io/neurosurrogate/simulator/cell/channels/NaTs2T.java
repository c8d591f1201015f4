package io.neurosurrogate.simulator.cell.channels;

/**
 * Somatic transient Na current "NaTs2_t", {@code gbar m^3 h (v - ena)}: NaTa_t with activation and
 * inactivation shifted by +6 mV (Colbert &amp; Pan 2002; Hay et al. 2011, PLoS Comput Biol
 * 7(7):e1002107, ModelDB 139653 NaTs2_t.mod). q10 2.3 from 21 to 34 C; singular points v = -32 and
 * -60 mV stepped over by 1e-4 mV as published.
 */
public final class NaTs2T extends VoltageGatedChannel {

    public static final String NAME = "NaTs2_t";

    public NaTs2T(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 3, 1, Ion.NA);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv;
        if (v == -32) {
            v = v + 0.0001;
        }
        double mAlpha = (0.182 * (v - -32)) / (1 - Math.exp(-(v - -32) / 6));
        double mBeta = (0.124 * (-v - 32)) / (1 - Math.exp(-(-v - 32) / 6));
        mInf = mAlpha / (mAlpha + mBeta);
        mTau = (1 / (mAlpha + mBeta)) / QT_34;
        if (v == -60) {
            v = v + 0.0001;
        }
        double hAlpha = (-0.015 * (v - -60)) / (1 - Math.exp((v - -60) / 6));
        double hBeta = (-0.015 * (-v - 60)) / (1 - Math.exp((-v - 60) / 6));
        hInf = hAlpha / (hAlpha + hBeta);
        hTau = (1 / (hAlpha + hBeta)) / QT_34;
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

package io.neurosurrogate.simulator.cell.channels;

/**
 * Persistent K current "K_Pst", {@code gbar m^2 h (v - ek)}, after Korngreen &amp; Sakmann (2000),
 * shifted by -10 mV for the junction potential, as in Hay et al. (2011), PLoS Comput Biol
 * 7(7):e1002107 (ModelDB 139653, K_Pst.mod). q10 2.3 from 21 to 34 C. The activation time constant
 * switches formula at (shifted) v = -50 mV, as published.
 */
public final class KPst extends VoltageGatedChannel {

    public static final String NAME = "K_Pst";

    public KPst(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 2, 1, Ion.K);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv + 10;
        mInf = 1 / (1 + Math.exp(-(v + 1) / 12));
        if (v < -50) {
            mTau = (1.25 + 175.03 * Math.exp(-v * -0.026)) / QT_34;
        } else {
            mTau = (1.25 + 13 * Math.exp(-v * 0.026)) / QT_34;
        }
        hInf = 1 / (1 + Math.exp(-(v + 54) / -11));
        double u = (v + 75) / 48;
        hTau = (360 + (1010 + 24 * (v + 55)) * Math.exp(-(u * u))) / QT_34;
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

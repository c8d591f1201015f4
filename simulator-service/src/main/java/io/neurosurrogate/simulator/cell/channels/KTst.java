package io.neurosurrogate.simulator.cell.channels;

/**
 * Transient K current "K_Tst", {@code gbar m^4 h (v - ek)}, after Korngreen &amp; Sakmann (2000),
 * shifted by -10 mV for the junction potential, as in Hay et al. (2011), PLoS Comput Biol
 * 7(7):e1002107 (ModelDB 139653, K_Tst.mod). q10 2.3 from 21 to 34 C.
 */
public final class KTst extends VoltageGatedChannel {

    public static final String NAME = "K_Tst";

    public KTst(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 4, 1, Ion.K);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv + 10;
        mInf = 1 / (1 + Math.exp(-(v + 0) / 19));
        double um = (v + 71) / 59;
        mTau = (0.34 + 0.92 * Math.exp(-(um * um))) / QT_34;
        hInf = 1 / (1 + Math.exp(-(v + 66) / -10));
        double uh = (v + 73) / 23;
        hTau = (8 + 49 * Math.exp(-(uh * uh))) / QT_34;
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

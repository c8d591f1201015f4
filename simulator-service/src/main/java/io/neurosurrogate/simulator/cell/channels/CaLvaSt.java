package io.neurosurrogate.simulator.cell.channels;

/**
 * Low-voltage-activated (T-type) Ca current "Ca_LVAst", {@code gbar m^2 h (v - eca)}, after Avery
 * &amp; Johnston (1996) with time constants from Randall (1997), shifted by -10 mV for the junction
 * potential, as in Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653,
 * Ca_LVAst.mod). q10 2.3 from 21 to 34 C. Adds its current to {@code ica}.
 */
public final class CaLvaSt extends VoltageGatedChannel {

    public static final String NAME = "Ca_LVAst";

    public CaLvaSt(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 2, 1, Ion.CA);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv + 10;
        mInf = 1.0000 / (1 + Math.exp((v - -30.000) / -6));
        mTau = (5.0000 + 20.0000 / (1 + Math.exp((v - -25.000) / 5))) / QT_34;
        hInf = 1.0000 / (1 + Math.exp((v - -80.000) / 6.4));
        hTau = (20.0000 + 50.0000 / (1 + Math.exp((v - -40.000) / 7))) / QT_34;
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

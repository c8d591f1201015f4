package io.neurosurrogate.simulator.cell.channels;

/**
 * Hyperpolarisation-activated cation current "Ih", {@code gbar m (v - ehcn)} with ehcn = -45 mV
 * (a non-specific current), after Kole, Hallermann &amp; Stuart (2006), as in Hay et al. (2011), PLoS
 * Comput Biol 7(7):e1002107 (ModelDB 139653, Ih.mod, vshift 0). No temperature correction in the
 * published file. The singular point v = vhalf = -154.9 mV is stepped over by 1e-4 mV.
 */
public final class Ih extends VoltageGatedChannel {

    public static final String NAME = "Ih";
    /** Reversal potential of the h current (mV). */
    public static final double EHCN_MV = -45.0;
    static final double VHALF = -154.9;

    public Ih(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 1, 0, Ion.NONSPECIFIC, EHCN_MV);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv;
        if (v == VHALF) {
            v = v + 0.0001;
        }
        double mAlpha = 0.001 * 6.43 * (v - VHALF) / (Math.exp((v - VHALF) / 11.9) - 1);
        double mBeta = 0.001 * 193 * Math.exp(v / 33.1);
        mInf = mAlpha / (mAlpha + mBeta);
        mTau = 1 / (mAlpha + mBeta);
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

package io.neurosurrogate.simulator.cell.channels;

/**
 * Persistent Na current "Nap_Et2", {@code gbar m^3 h (v - ena)}, kinetics after Magistretti &amp;
 * Alonso (1999) with the activation time constant 6 times that of NaTa_t, as in Hay et al. (2011),
 * PLoS Comput Biol 7(7):e1002107 (ModelDB 139653, Nap_Et2.mod). q10 2.3 from 21 to 34 C. As in the
 * published file mInf is evaluated at the unshifted voltage, the guards at -38, -17 and -64.4 mV
 * then step the voltage by 1e-4 mV for the remaining expressions (hInf included).
 */
public final class NapEt2 extends VoltageGatedChannel {

    public static final String NAME = "Nap_Et2";

    public NapEt2(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 3, 1, Ion.NA);
    }

    @Override
    public void rates(double vMv) {
        double v = vMv;
        mInf = 1.0 / (1 + Math.exp((v - -52.6) / -4.6));
        if (v == -38) {
            v = v + 0.0001;
        }
        double mAlpha = (0.182 * (v - -38)) / (1 - Math.exp(-(v - -38) / 6));
        double mBeta = (0.124 * (-v - 38)) / (1 - Math.exp(-(-v - 38) / 6));
        mTau = 6 * (1 / (mAlpha + mBeta)) / QT_34;
        if (v == -17) {
            v = v + 0.0001;
        }
        if (v == -64.4) {
            v = v + 0.0001;
        }
        hInf = 1.0 / (1 + Math.exp((v - -48.8) / 10));
        double hAlpha = -2.88e-6 * (v + 17) / (1 - Math.exp((v + 17) / 4.63));
        double hBeta = 6.94e-6 * (v + 64.4) / (1 - Math.exp(-(v + 64.4) / 2.63));
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

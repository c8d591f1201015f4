package io.neurosurrogate.simulator.cell.channels;

/**
 * Small-conductance calcium-activated K current "SK_E2", {@code gbar z (v - ek)}, after Kohler et
 * al. (1996), as in Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB 139653, SK_E2.mod):
 * zInf = 1 / (1 + (0.00043 mM / cai)^4.8), zTau = 1 ms, no temperature correction. Calcium below
 * 1e-7 mM is raised by 1e-7 mM before use, as published. Reads {@code state.cai}.
 */
public final class SkE2 extends GatedChannel {

    public static final String NAME = "SK_E2";
    static final double Z_TAU_MS = 1;

    public SkE2(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, 1, 0);
    }

    /** The NMODL rates procedure at intracellular calcium {@code caiMm}: sets mInf (zInf) and mTau (zTau). */
    public void rates(double caiMm) {
        double cai = caiMm;
        if (cai < 1e-7) {
            cai = cai + 1e-07;
        }
        mInf = 1 / (1 + Math.pow(0.00043 / cai, 4.8));
        mTau = Z_TAU_MS;
    }

    @Override
    protected void rates(CellState state, int node) {
        rates(state.cai[node]);
    }

    @Override
    protected double[] reversalArray(CellState state) {
        return state.ek;
    }

    @Override
    public boolean usesCalcium() {
        return true;
    }
}

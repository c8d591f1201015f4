package io.neurosurrogate.simulator.cell.channels;

/**
 * A {@link GatedChannel} whose gates depend on the membrane voltage only, carrying the current of
 * one ion: Na (reversal {@code state.ena}), K ({@code state.ek}), Ca ({@code state.eca}, current also
 * added to {@code state.ica}) or the fixed-reversal non-specific h current.
 */
public abstract class VoltageGatedChannel extends GatedChannel {

    /** Which reversal potential the current uses. */
    public enum Ion { NA, K, CA, NONSPECIFIC }

    private final Ion ion;
    private final double fixedReversalMv;
    /** The fixed reversal of a non-specific current, per node, built on first use. */
    private double[] fixedReversal;

    protected VoltageGatedChannel(String name, int[] nodes, double[] gbar, int mPower, int hPower, Ion ion) {
        this(name, nodes, gbar, mPower, hPower, ion, Double.NaN);
    }

    /** @param fixedReversalMv reversal (mV) of a {@link Ion#NONSPECIFIC} current */
    protected VoltageGatedChannel(String name, int[] nodes, double[] gbar, int mPower, int hPower, Ion ion,
                                  double fixedReversalMv) {
        super(name, nodes, gbar, mPower, hPower);
        this.ion = ion;
        this.fixedReversalMv = fixedReversalMv;
    }

    /**
     * The NMODL rates procedure at voltage {@code vMv}: sets {@link #mInf()}, {@link #mTau()} (ms)
     * and, with an inactivation gate, {@link #hInf()}, {@link #hTau()}.
     */
    public abstract void rates(double vMv);

    @Override
    protected final void rates(CellState state, int node) {
        rates(state.v[node]);
    }

    @Override
    protected final double[] reversalArray(CellState state) {
        return switch (ion) {
            case NA -> state.ena;
            case K -> state.ek;
            case CA -> state.eca;
            case NONSPECIFIC -> fixedReversal(state.nodes);
        };
    }

    private double[] fixedReversal(int n) {
        if (fixedReversal == null || fixedReversal.length != n) {
            fixedReversal = new double[n];
            java.util.Arrays.fill(fixedReversal, fixedReversalMv);
        }
        return fixedReversal;
    }

    @Override
    protected final double[] calciumCurrentArray(CellState state) {
        return ion == Ion.CA ? state.ica : null;
    }

    @Override
    public final boolean usesCalcium() {
        return ion == Ion.CA;
    }

    /** 2.3^((34 - 21) / 10): the q10 correction hard-coded in the Hay et al. (2011) mod files. */
    static final double QT_34 = Math.pow(2.3, (34.0 - 21.0) / 10.0);
}

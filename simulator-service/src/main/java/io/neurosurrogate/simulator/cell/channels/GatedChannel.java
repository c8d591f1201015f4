package io.neurosurrogate.simulator.cell.channels;

/**
 * Common machinery of the Hay et al. (2011) Hodgkin-Huxley style channels: an ohmic current
 * {@code gbar * m^p * h^q * (v - E)} (mA/cm2, gbar in S/cm2) with one or two first-order gates, each
 * relaxing as {@code x' = (xInf - x) / xTau} (xTau in ms).
 *
 * <p>Subclasses supply the NMODL {@code PROCEDURE rates()} as {@link #rates(CellState, int)}, which
 * fills the scratch fields {@link #mInf}, {@link #mTau}, {@link #hInf}, {@link #hTau}; this class does
 * the INITIAL block (gates at steady state), the BREAKPOINT (current and its exact dI/dV with frozen
 * gates) and NEURON's {@code cnexp} update {@code x = xInf + (x - xInf) * exp(-dt / xTau)} with the
 * rates evaluated at the new voltage. No allocation after construction.
 */
public abstract class GatedChannel implements Mechanism {

    private final String name;
    private final int[] nodes;
    private final double[] gbar;
    private final double[] m;
    /** Null for channels without an inactivation gate. */
    private final double[] h;
    private final int mPower;
    private final int hPower;

    /** Scratch output of {@link #rates}: steady states (1) and time constants (ms). */
    protected double mInf;
    protected double mTau;
    protected double hInf;
    protected double hTau;

    /**
     * @param gbar   maximal conductance density per node (S/cm2), copied
     * @param mPower exponent of the activation gate
     * @param hPower exponent of the inactivation gate, 0 for none
     */
    protected GatedChannel(String name, int[] nodes, double[] gbar, int mPower, int hPower) {
        this.name = name;
        this.nodes = nodes;
        this.gbar = ParameterChecks.perNode(name, "gbar", gbar, nodes.length, 0, false);
        this.mPower = mPower;
        this.hPower = hPower;
        this.m = new double[nodes.length];
        this.h = hPower > 0 ? new double[nodes.length] : null;
    }

    /** The NMODL rates procedure at node {@code node}: fills mInf, mTau (and hInf, hTau). */
    protected abstract void rates(CellState state, int node);

    /**
     * The reversal potentials (mV) of this channel's current, indexed by node ({@code state.ena},
     * {@code state.ek}, ...): fetched once per step, so the current loop makes no per-node virtual call.
     */
    protected abstract double[] reversalArray(CellState state);

    /** Where calcium channels add their current ({@code state.ica}); null for other channels. */
    protected double[] calciumCurrentArray(CellState state) {
        return null;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int[] nodes() {
        return nodes;
    }

    @Override
    public final void initialise(CellState state) {
        for (int k = 0; k < nodes.length; k++) {
            rates(state, nodes[k]);
            m[k] = mInf;
            if (h != null) {
                h[k] = hInf;
            }
        }
    }

    @Override
    public final void current(CellState state, double[] i, double[] g) {
        double[] v = state.v;
        double[] e = reversalArray(state);
        double[] ica = calciumCurrentArray(state);
        for (int k = 0; k < nodes.length; k++) {
            int n = nodes[k];
            // gbar*m*m*m*h evaluated left to right, as the NMODL twin writes it
            double open = gbar[k];
            for (int p = 0; p < mPower; p++) {
                open *= m[k];
            }
            for (int q = 0; q < hPower; q++) {
                open *= h[k];
            }
            double current = open * (v[n] - e[n]);
            i[n] += current;
            g[n] += open;
            if (ica != null) {
                ica[n] += current;
            }
        }
    }

    /**
     * NEURON's cnexp over all nodes. Subclasses with many nodes override it with the same loop over
     * their own (final, hence inlined) rates function; this generic version makes one virtual call
     * per node.
     */
    @Override
    public void advance(CellState state, double dtMs) {
        for (int k = 0; k < nodes.length; k++) {
            rates(state, nodes[k]);
            relax(k, dtMs);
        }
    }

    /** The cnexp update of node {@code k}'s gates towards the scratch mInf/hInf set by the last rates call. */
    protected final void relax(int k, double dtMs) {
        m[k] = mInf + (m[k] - mInf) * Math.exp(-dtMs / mTau);
        if (h != null) {
            h[k] = hInf + (h[k] - hInf) * Math.exp(-dtMs / hTau);
        }
    }

    /** Activation gate of the {@code k}-th node of this instance (for tests and recording). */
    public final double m(int k) {
        return m[k];
    }

    /** Inactivation gate of the {@code k}-th node, NaN for channels without one. */
    public final double h(int k) {
        return h == null ? Double.NaN : h[k];
    }

    /** Sets the gates of the {@code k}-th node (tests, restoring a saved state). */
    public final void setGates(int k, double mValue, double hValue) {
        m[k] = mValue;
        if (h != null) {
            h[k] = hValue;
        }
    }

    /** Steady state of m at the present scratch values, after {@link #rates}. */
    public final double mInf() {
        return mInf;
    }

    public final double mTau() {
        return mTau;
    }

    public final double hInf() {
        return hInf;
    }

    public final double hTau() {
        return hTau;
    }
}

package io.neurosurrogate.simulator.cell.channels;

/**
 * A membrane mechanism inserted on a set of nodes, the Java counterpart of one NMODL file. An
 * instance owns flat arrays of its parameters and states, one entry per node it is inserted on, and
 * allocates nothing after construction.
 *
 * <p>The engine calls, per time step of NEURON's fixed-step implicit Euler: {@link #current} at the
 * present voltage (the NMODL BREAKPOINT), solves the cable equation for the new voltage, then
 * {@link #advance} with the new voltage (the NMODL SOLVE ... METHOD cnexp).
 */
public interface Mechanism {

    /** NMODL SUFFIX, e.g. "NaTs2_t". */
    String name();

    /** Nodes this instance is inserted on (not copied). */
    int[] nodes();

    /** Sets every state to its steady state at the present {@code state.v} (the NMODL INITIAL block). */
    void initialise(CellState state);

    /**
     * Adds this mechanism's membrane current density (mA/cm2, outward positive) to {@code i[node]}
     * and its conductance dI/dV (S/cm2) to {@code g[node]}, evaluated at {@code state.v} with the
     * present states. Calcium channels also add their current to {@code state.ica}.
     */
    void current(CellState state, double[] i, double[] g);

    /** Advances the states by {@code dtMs} at the (new) {@code state.v}. */
    void advance(CellState state, double dtMs);

    /** True if this mechanism reads or writes calcium (the engine then keeps eca up to date on its nodes). */
    default boolean usesCalcium() {
        return false;
    }
}

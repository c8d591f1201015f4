package io.neurosurrogate.simulator.cell.channels;

/**
 * Intracellular calcium in a submembrane shell, "CaDynamics_E2" of Hay et al. (2011), PLoS Comput
 * Biol 7(7):e1002107 (ModelDB 139653, modified from Destexhe et al. 1994):
 * {@code dcai/dt = -10000 * ica * gamma / (2 F depth) - (cai - minCai) / decay}, with cai in mM, ica
 * in mA/cm2, depth = 0.1 um, minCai = 1e-4 mM, decay in ms and gamma the free (unbuffered) fraction.
 * The 10000 converts mA/cm2 / (C/mol * um) to mM/ms.
 *
 * <p>Carries no current. {@link #advance} is NEURON's cnexp, exact for this linear ODE with ica
 * frozen at the value summed by the calcium channels in the last {@code current} call. Initialise
 * leaves cai as the engine set it (the NMODL INITIAL block is empty).
 */
public final class CaDynamicsE2 implements Mechanism {

    public static final String NAME = "CaDynamics_E2";
    /** Shell depth (um) and resting calcium (mM), fixed as in the published file. */
    public static final double DEPTH_UM = 0.1;
    public static final double MIN_CAI_MM = 1e-4;

    private final int[] nodes;
    private final double[] gamma;
    private final double[] decay;

    /**
     * @param gamma free calcium fraction per node (dimensionless, >= 0)
     * @param decay removal time constant per node (ms, > 0)
     */
    public CaDynamicsE2(int[] nodes, double[] gamma, double[] decay) {
        this.nodes = nodes;
        this.gamma = ParameterChecks.perNode(NAME, "gamma", gamma, nodes.length, 0, false);
        this.decay = ParameterChecks.perNode(NAME, "decay (ms)", decay, nodes.length, 0, true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] nodes() {
        return nodes;
    }

    @Override
    public void initialise(CellState state) {
        // cai is set by the engine (caiInitMm), as NEURON's cai0_ca_ion.
    }

    @Override
    public void current(CellState state, double[] i, double[] g) {
        // no membrane current
    }

    @Override
    public void advance(CellState state, double dtMs) {
        for (int k = 0; k < nodes.length; k++) {
            int n = nodes[k];
            double cainf = steadyState(state.ica[n], gamma[k], decay[k]);
            state.cai[n] = cainf + (state.cai[n] - cainf) * Math.exp(-dtMs / decay[k]);
        }
    }

    /** The calcium (mM) the shell settles to under a constant {@code icaMaPerCm2}. */
    public static double steadyState(double icaMaPerCm2, double gamma, double decayMs) {
        return MIN_CAI_MM - decayMs * 10000 * icaMaPerCm2 * gamma / (2 * CellState.FARADAY * DEPTH_UM);
    }

    @Override
    public boolean usesCalcium() {
        return true;
    }
}

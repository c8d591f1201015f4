package io.neurosurrogate.simulator.cell.engine;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against the analytic steady state of a sealed passive cable with current injected at
 * one end (Rall; e.g. Johnston &amp; Wu, Foundations of Cellular Neurophysiology, ch. 4):
 * V(x) - E = I R_in cosh((L - x) / lambda) / cosh(L / lambda), R_in = r_a lambda coth(L / lambda),
 * r_a = 4 Ra / (pi d^2), lambda = sqrt(d Rm / (4 Ra)).
 */
class PassiveCableTest {
    private static final double L_UM = 1000;
    private static final double D_UM = 2;
    private static final double RA = 100;      // ohm cm
    private static final double G_PAS = 1e-4;  // S/cm2, Rm = 10 kOhm cm2
    private static final double E_PAS = -70;
    private static final double I_NA = 0.1;

    private static CellModel cable(int nseg) {
        double[] d = new double[nseg];
        double[] dist = new double[nseg];
        Arrays.fill(d, D_UM);
        double[] g = new double[nseg];
        double[] e = new double[nseg];
        Arrays.fill(g, G_PAS);
        Arrays.fill(e, E_PAS);
        CableSection c = new CableSection("soma", SectionType.SOMA, -1, 0.5, L_UM, d, dist);
        ModelSection s = new ModelSection(c, 1.0, RA, 50, -85, List.of(new MechanismSpec("pas", Map.of("g", g, "e", e))));
        return new CellModel("cable", List.of(s), 34, E_PAS, 2, 1e-4, SynapseParams.PAPER_NMDA, List.of());
    }

    private static double lambdaUm() {
        double rmOhmCm2 = 1.0 / G_PAS;
        double lambdaCm = Math.sqrt((D_UM * 1e-4) * rmOhmCm2 / (4 * RA));
        return lambdaCm * 1e4;
    }

    /** Axial resistance per um of cable in megaohm. */
    private static double raPerUmMOhm() {
        double dCm = D_UM * 1e-4;
        double ohmPerCm = 4 * RA / (Math.PI * dCm * dCm);
        return ohmPerCm * 1e-4 / 1e6;
    }

    private static double[] steadyState(int nseg, CableTree[] treeOut) {
        CellModel model = cable(nseg);
        CableTree tree = new CableTree(model);
        treeOut[0] = tree;
        CompartmentalSimulation sim = new CompartmentalSimulation(model, tree, 0.025);
        sim.inject(tree.rootNode(), I_NA);
        sim.run(new int[0][], 300, 0.0, false, new int[0]); // tau_m = 10 ms: 30 time constants
        return sim.voltages().clone();
    }

    @Test
    void inputResistanceAndAttenuationMatchTheSealedCable() {
        int nseg = 401;
        CableTree[] tree = new CableTree[1];
        double[] v = steadyState(nseg, tree);
        double lambda = lambdaUm();
        double rIn = raPerUmMOhm() * lambda / Math.tanh(L_UM / lambda); // MOhm
        double v0 = v[tree[0].rootNode()] - E_PAS;
        assertEquals(I_NA * rIn, v0, 0.005 * I_NA * rIn, "input resistance (mV per 0.1 nA)");
        for (int seg : new int[]{0, 100, 200, 300, 400}) {
            double x = (seg + 0.5) * L_UM / nseg;
            double expected = I_NA * rIn * Math.cosh((L_UM - x) / lambda) / Math.cosh(L_UM / lambda);
            assertEquals(expected, v[tree[0].segmentNode(0, seg)] - E_PAS, 0.005 * expected, "attenuation at x=" + x);
        }
        double vEnd = v[tree[0].endNode(0)] - E_PAS;
        double expectedEnd = I_NA * rIn / Math.cosh(L_UM / lambda);
        assertEquals(expectedEnd, vEnd, 0.005 * expectedEnd, "sealed end");
        assertTrue(vEnd < v0 * 0.8, "the far end is attenuated");
    }

    @Test
    void restsAtTheLeakReversalWithoutInput() {
        CellModel model = cable(11);
        CableTree tree = new CableTree(model);
        CompartmentalSimulation sim = new CompartmentalSimulation(model, tree, 0.025);
        CellRun run = sim.run(new int[0][], 50, 0.0, false, new int[0]);
        for (float mv : run.somaMv()) {
            assertEquals(E_PAS, mv, 1e-9);
        }
        assertEquals(0, run.spikeTimesMs().length);
    }

    @Test
    void chargingFollowsTheMembraneTimeConstantForAUniformCylinder() {
        // Sealed cable injected uniformly would be an RC circuit; inject at the root of a short cable
        // (L << lambda): V(t) = V_inf (1 - exp(-t / tau)), tau = Rm Cm = 10 ms.
        double[] d = {D_UM};
        CableSection c = new CableSection("soma", SectionType.SOMA, -1, 0.5, 20, d, new double[]{0});
        ModelSection s = new ModelSection(c, 1.0, RA, 50, -85,
                List.of(new MechanismSpec("pas", Map.of("g", new double[]{G_PAS}, "e", new double[]{E_PAS}))));
        CellModel model = new CellModel("rc", List.of(s), 34, E_PAS, 2, 1e-4, SynapseParams.PAPER_NMDA, List.of());
        CableTree tree = new CableTree(model);
        CompartmentalSimulation sim = new CompartmentalSimulation(model, tree, 0.025);
        double areaCm2 = Math.PI * D_UM * 20 * 1e-8;
        double vInf = 0.001 / (G_PAS * areaCm2) * 1e-9 * 1e3; // 1 pA -> mV
        sim.inject(tree.rootNode(), 0.001);
        CellRun run = sim.run(new int[0][], 40, 0.0, false, new int[0]);
        for (int t : new int[]{5, 10, 20, 39}) { // soma_mv[t] is v at t + 1 ms
            double expected = vInf * (1 - Math.exp(-(t + 1) / 10.0));
            assertEquals(expected, run.somaMv()[t] - E_PAS, 0.01 * vInf, "t=" + t);
        }
    }
}

package io.neurosurrogate.simulator.cell.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Initialise, current and the cnexp update of the mechanisms, and CaDynamics_E2, on a tiny CellState. */
class MechanismDynamicsTest {

    private static CellState state(int nodes, double v) {
        CellState s = new CellState(nodes, 34, 2);
        for (int n = 0; n < nodes; n++) {
            s.v[n] = v;
            s.ena[n] = 50;
            s.ek[n] = -85;
            s.cai[n] = 1e-4;
            s.eca[n] = s.nernstCa(1e-4);
        }
        return s;
    }

    @Test
    void initialiseSetsGatesToSteadyStateAtEachNodesVoltage() {
        CellState s = state(3, -70);
        s.v[2] = -20;
        NaTaT na = new NaTaT(new int[] {0, 2}, new double[] {1, 1});
        na.initialise(s);
        NaTaT probe = new NaTaT(new int[] {0}, new double[] {1});
        probe.rates(-70);
        assertEquals(probe.mInf(), na.m(0), 0);
        assertEquals(probe.hInf(), na.h(0), 0);
        probe.rates(-20);
        assertEquals(probe.mInf(), na.m(1), 0);
        assertEquals(probe.hInf(), na.h(1), 0);
    }

    @Test
    void cnexpIsExactExponentialRelaxationAtConstantVoltage() {
        CellState s = state(1, -30);
        KTst k = new KTst(new int[] {0}, new double[] {0.1});
        k.setGates(0, 0.02, 0.9);
        KTst probe = new KTst(new int[] {0}, new double[] {1});
        probe.rates(-30);
        double dt = 0.025;
        int steps = 200;
        for (int i = 0; i < steps; i++) {
            k.advance(s, dt);
        }
        double t = dt * steps;
        assertEquals(probe.mInf() + (0.02 - probe.mInf()) * Math.exp(-t / probe.mTau()), k.m(0), 1e-12);
        assertEquals(probe.hInf() + (0.9 - probe.hInf()) * Math.exp(-t / probe.hTau()), k.h(0), 1e-12);
        // and it moved: 5 ms is several mTau but less than one hTau
        assertTrue(Math.abs(k.m(0) - probe.mInf()) < 1e-3);
        assertTrue(Math.abs(k.h(0) - 0.9) > 1e-3 && Math.abs(k.h(0) - probe.hInf()) > 1e-3);
    }

    @Test
    void skE2RelaxesWithOneMillisecondTimeConstantAtFixedCalcium() {
        CellState s = state(1, -70);
        s.cai[0] = 4.3e-4;
        SkE2 sk = new SkE2(new int[] {0}, new double[] {0.01});
        sk.setGates(0, 0, Double.NaN);
        sk.advance(s, 2.0);
        assertEquals(0.5 * (1 - Math.exp(-2.0)), sk.m(0), 1e-12);
        assertTrue(sk.usesCalcium());
    }

    @Test
    void currentIsOhmicWithFrozenGatesAndConductanceIsItsDerivative() {
        CellState s = state(2, -60);
        NaTaT na = new NaTaT(new int[] {1}, new double[] {2.0});
        na.setGates(0, 0.3, 0.6);
        double[] i = {0, 0.5};
        double[] g = {0, 0.25};
        na.current(s, i, g);
        double open = 2.0 * 0.3 * 0.3 * 0.3 * 0.6;
        assertEquals(0, i[0]);
        assertEquals(0.5 + open * (-60 - 50), i[1], 1e-15);
        assertEquals(0.25 + open, g[1], 1e-15);
        assertEquals(0, s.ica[1], "a Na channel does not touch ica");
    }

    @Test
    void calciumChannelsAddToIcaAndUseEca() {
        CellState s = state(1, -20);
        CaHva hva = new CaHva(new int[] {0}, new double[] {0.001});
        CaLvaSt lva = new CaLvaSt(new int[] {0}, new double[] {0.002});
        hva.setGates(0, 0.5, 0.8);
        lva.setGates(0, 0.4, 0.1);
        double[] i = {0};
        double[] g = {0};
        hva.current(s, i, g);
        lva.current(s, i, g);
        double eca = s.eca[0];
        assertTrue(eca > 120 && eca < 140, "Nernst eca for 2 mM / 1e-4 mM at 34 C is ~132 mV, got " + eca);
        double expected = 0.001 * 0.25 * 0.8 * (-20 - eca) + 0.002 * 0.16 * 0.1 * (-20 - eca);
        assertEquals(expected, s.ica[0], 1e-15);
        assertEquals(expected, i[0], 1e-15);
        assertTrue(hva.usesCalcium() && lva.usesCalcium());
    }

    @Test
    void ihUsesItsOwnReversalAndKChannelsUseEk() {
        CellState s = state(1, -80);
        s.ek[0] = -100;
        Ih ih = new Ih(new int[] {0}, new double[] {1e-3});
        Im im = new Im(new int[] {0}, new double[] {1e-3});
        ih.setGates(0, 0.2, 0);
        im.setGates(0, 0.1, 0);
        double[] i = {0};
        double[] g = {0};
        ih.current(s, i, g);
        assertEquals(1e-3 * 0.2 * (-80 + 45), i[0], 1e-18);
        i[0] = 0;
        im.current(s, i, g);
        assertEquals(1e-3 * 0.1 * (-80 + 100), i[0], 1e-18);
        assertFalse(ih.usesCalcium());
    }

    @Test
    void pasIsALeak() {
        CellState s = state(1, -70);
        Pas pas = new Pas(new int[] {0}, new double[] {3e-5}, new double[] {-90});
        double[] i = {0};
        double[] g = {0};
        pas.current(s, i, g);
        assertEquals(3e-5 * 20, i[0], 1e-18);
        assertEquals(3e-5, g[0], 0);
    }

    @Test
    void caDynamicsSteadyStateAndDecay() {
        double gamma = 0.0005;
        double decay = 100;
        // hand value: 1e-4 + decay * 1e4 * |ica| * gamma / (2 F depth) with ica = -1e-3 mA/cm2
        double expectedInf = 1e-4 + 100 * 1e4 * 1e-3 * 0.0005 / (2 * 96485.33212 * 0.1);
        assertEquals(expectedInf, CaDynamicsE2.steadyState(-1e-3, gamma, decay), 1e-18);

        CellState s = state(1, -70);
        CaDynamicsE2 ca = new CaDynamicsE2(new int[] {0}, new double[] {gamma}, new double[] {decay});
        s.cai[0] = 1e-4;
        s.ica[0] = -1e-3;
        ca.initialise(s);
        assertEquals(1e-4, s.cai[0], 0, "initialise leaves cai alone");
        for (int k = 0; k < 400; k++) {
            ca.advance(s, 0.25); // t = 100 ms = one decay time constant
        }
        assertEquals(expectedInf + (1e-4 - expectedInf) * Math.exp(-1), s.cai[0], 1e-16);
        // no current: relaxes back towards minCai with the decay time constant
        s.ica[0] = 0;
        s.cai[0] = 5e-4;
        ca.advance(s, 50);
        assertEquals(1e-4 + 4e-4 * Math.exp(-0.5), s.cai[0], 1e-16);
        double[] i = {0};
        double[] g = {0};
        ca.current(s, i, g);
        assertEquals(0, i[0]);
        assertEquals(0, g[0]);
    }

    @Test
    void registryCreatesEveryMechanismByName() {
        assertEquals(13, Mechanisms.names().size());
        for (String name : Mechanisms.names()) {
            Map<String, double[]> params = new java.util.HashMap<>();
            for (String p : Mechanisms.parameters(name)) {
                params.put(p, new double[] {p.equals("e") ? -90 : 1e-3, 2e-3});
            }
            Mechanism m = Mechanisms.create(name, new int[] {3, 5}, params);
            assertEquals(name, m.name());
            assertEquals(5, m.nodes()[1]);
        }
        assertEquals(java.util.List.of("gamma", "decay"), Mechanisms.parameters("CaDynamics_E2"));
    }

    @Test
    void registryRejectsBadInputWithClearMessages() {
        int[] nodes = {0};
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Mechanisms.create("hh", nodes, Map.of("gbar", new double[] {1})));
        assertTrue(unknown.getMessage().contains("unknown mechanism \"hh\""), unknown.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> Mechanisms.create("pas", nodes, Map.of("g", new double[] {1})));
        assertTrue(missing.getMessage().contains("missing parameter \"e\""), missing.getMessage());
        var extra = assertThrows(IllegalArgumentException.class,
                () -> Mechanisms.create("Ih", nodes, Map.of("gbar", new double[] {1}, "ehcn", new double[] {1})));
        assertTrue(extra.getMessage().contains("no parameter \"ehcn\""), extra.getMessage());
        var length = assertThrows(IllegalArgumentException.class,
                () -> Mechanisms.create("Im", nodes, Map.of("gbar", new double[] {1, 2})));
        assertTrue(length.getMessage().contains("2 values for 1 nodes"), length.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> Mechanisms.create("Im", nodes, Map.of("gbar", new double[] {-1})));
        assertTrue(negative.getMessage().contains("Im: gbar"), negative.getMessage());
        var decay = assertThrows(IllegalArgumentException.class, () -> Mechanisms.create("CaDynamics_E2", nodes,
                Map.of("gamma", new double[] {1e-3}, "decay", new double[] {0})));
        assertTrue(decay.getMessage().contains("decay"), decay.getMessage());
    }
}

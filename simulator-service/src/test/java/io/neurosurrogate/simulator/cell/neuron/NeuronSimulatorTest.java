package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Passive cells in NEURON against independent expectations (skipped when NEURON is absent). */
class NeuronSimulatorTest {
    private static final double DT = 0.025;
    private static NeuronSimulator sim;

    @BeforeAll
    static void neuron() {
        NeuronInstallation inst = NeuronInstallation.system();
        assumeTrue(inst.isAvailable(), () -> "NEURON not available: " + inst.unavailableReason().orElse(""));
        sim = new NeuronSimulator(inst, Duration.ofSeconds(120));
    }

    @Test
    void relaxesToThePassiveReversalWithoutInput() {
        CellModel model = TestModels.somaDendrite(-60.0, SynapseParams.PAPER_NMDA, List.of(new SegmentRef(1, 1)), null);
        NeuronRun run = sim.run(model, TestModels.noSpikes(2), 300, DT, List.of(new SegmentRef(1, 2)));
        assertEquals(12001, run.somaMv().length, "one sample per step, t = 0 .. 300 ms");
        assertEquals(-60.0, run.somaMv()[0], 1e-12, "t = 0 is v_init");
        // membrane time constant cm / g_pas = 10 ms: 30 time constants later the cell sits at e_pas
        assertEquals(TestModels.E_PAS, run.somaMv()[12000], 1e-6);
        assertEquals(TestModels.E_PAS, run.recordings().get(0)[12000], 1e-6);
        // and it is still well away from it after one time constant (exp(-1) of the 10 mV offset)
        assertTrue(run.somaMv()[400] > -67.0 && run.somaMv()[400] < -64.0, "v(10 ms) = " + run.somaMv()[400]);
        assertTrue(run.runSeconds() >= 0 && run.runSeconds() < 10, "run seconds " + run.runSeconds());
    }

    @Test
    void ampaEpspOfAnIsopotentialSomaMatchesTheOde() {
        checkSomaEpsp(SynapseParams.PAPER_AMPA);
    }

    @Test
    void ampaPlusNmdaEpspOfAnIsopotentialSomaMatchesTheOde() {
        checkSomaEpsp(SynapseParams.PAPER_NMDA);
    }

    /**
     * One excitatory event at 10 ms on a single isopotential soma; the expectation integrates
     * C dV/dt = -gL (V - EL) - g_ampa(t) (V - E) - g_nmda(t) B(V) (V - E) with RK4 at 1 us from the
     * closed-form double exponentials, independent of NEURON.
     */
    private static void checkSomaEpsp(SynapseParams syn) {
        CellModel model = TestModels.somaOnly(TestModels.E_PAS, syn);
        int[][] spikes = {{10}, {}};
        NeuronRun run = sim.run(model, spikes, 150, DT);
        double[] v = run.somaMv();
        int peakIndex = argmax(v);
        double peak = v[peakIndex] - TestModels.E_PAS;

        double[] ode = isopotentialEpsp(syn, 10.0, 150.0);
        assertTrue(peak > 0.5, "EPSP peak " + peak);
        assertEquals(ode[0], peak, 0.005 * ode[0], "EPSP peak amplitude (mV)");
        assertEquals(ode[1], peakIndex * DT, 0.1, "EPSP peak time (ms)");
        assertEquals(TestModels.E_PAS, v[9 * 40], 1e-9, "nothing before the event");
        double tail = syn.nmdaGmaxNs() > 0 ? 0.2 : 0.01;  // NMDA decays with 70 ms
        assertEquals(TestModels.E_PAS, v[v.length - 1], tail, "back to rest");
    }

    /** {peak depolarisation (mV), peak time (ms)} of the single-compartment ODE. */
    private static double[] isopotentialEpsp(SynapseParams s, double t0, double tEnd) {
        double areaCm2 = Math.PI * 20e-4 * 20e-4;  // 20 um x 20 um cylinder, no end caps
        double cPf = 1.0 * areaCm2 * 1e6;         // uF -> pF
        double glNs = TestModels.G_PAS * areaCm2 * 1e9;
        double fa = SynapseParams.peakFactor(s.ampaRiseMs(), s.ampaDecayMs());
        double fn = SynapseParams.peakFactor(s.nmdaRiseMs(), s.nmdaDecayMs());
        double h = 1e-3;
        double v = TestModels.E_PAS;
        double best = v;
        double bestT = 0;
        for (double t = 0; t < tEnd; t += h) {
            double k1 = dvdt(s, t, v, t0, cPf, glNs, fa, fn);
            double k2 = dvdt(s, t + h / 2, v + h / 2 * k1, t0, cPf, glNs, fa, fn);
            double k3 = dvdt(s, t + h / 2, v + h / 2 * k2, t0, cPf, glNs, fa, fn);
            double k4 = dvdt(s, t + h, v + h * k3, t0, cPf, glNs, fa, fn);
            v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            if (v > best) {
                best = v;
                bestT = t + h;
            }
        }
        return new double[]{best - TestModels.E_PAS, bestT};
    }

    private static double dvdt(SynapseParams s, double t, double v, double t0, double cPf, double glNs, double fa, double fn) {
        double ga = 0;
        double gn = 0;
        if (t > t0) {
            double u = t - t0;
            ga = s.ampaGmaxNs() * fa * (Math.exp(-u / s.ampaDecayMs()) - Math.exp(-u / s.ampaRiseMs()));
            gn = s.nmdaGmaxNs() * fn * (Math.exp(-u / s.nmdaDecayMs()) - Math.exp(-u / s.nmdaRiseMs()));
        }
        double iPa = glNs * (v - TestModels.E_PAS) + ga * (v - s.excReversalMv()) + gn * s.mgBlock(v) * (v - s.excReversalMv());
        return -iPa / cPf;
    }

    @Test
    void synapseKDrivesSiteK() {
        List<SegmentRef> sites = List.of(new SegmentRef(1, 0), new SegmentRef(1, 1), new SegmentRef(1, 2));
        CellModel model = TestModels.somaDendrite(TestModels.E_PAS, SynapseParams.PAPER_AMPA, sites, null);
        int[][] spikes = TestModels.noSpikes(6);
        spikes[2] = new int[]{5};      // excitatory synapse 2 -> site 2 (distal segment)
        spikes[3 + 1] = new int[]{100}; // inhibitory synapse 1 -> site 1 (middle segment)
        NeuronRun run = sim.run(model, spikes, 200, DT, sites);
        double[][] site = run.recordings().toArray(new double[0][]);
        double[] maxExc = new double[3];
        double[] minInh = new double[3];
        for (int k = 0; k < 3; k++) {
            maxExc[k] = max(site[k], 5, 60) - TestModels.E_PAS;
            minInh[k] = min(site[k], 100, 160) - TestModels.E_PAS;
        }
        double somaExc = max(run.somaMv(), 5, 60) - TestModels.E_PAS;
        // depolarisation attenuates from the input site (distal end) towards the soma
        assertTrue(maxExc[2] > maxExc[1] && maxExc[1] > maxExc[0] && maxExc[0] > somaExc && somaExc > 0,
                "exc peaks " + java.util.Arrays.toString(maxExc) + ", soma " + somaExc);
        // the hyperpolarisation is largest at the inhibited middle segment
        assertTrue(minInh[1] < minInh[0] && minInh[1] < minInh[2] && minInh[1] < -0.01,
                "inh troughs " + java.util.Arrays.toString(minInh));
        // nothing moves before the first event
        assertEquals(TestModels.E_PAS, site[2][4 * 40], 1e-9);
    }

    /**
     * Integration with the Hay et al. 2011 channel mods (another file set, skipped until they exist):
     * a soma with Hay's somatic channel densities (L5PCbiophys3) fires an action potential on a
     * strong synaptic input (50 coincident AMPA events = 20 nS) and otherwise stays put.
     */
    @Test
    void somaWithHayChannelsFiresWhenTheModsArePresent() {
        Map<String, Map<String, Double>> channels = new LinkedHashMap<>();
        channels.put("NaTs2_t", Map.of("gbar", 0.983));
        channels.put("SKv3_1", Map.of("gbar", 0.303));
        channels.put("SK_E2", Map.of("gbar", 0.0441));
        channels.put("Ca_HVA", Map.of("gbar", 0.000992));
        channels.put("Ca_LVAst", Map.of("gbar", 0.00343));
        channels.put("CaDynamics_E2", Map.of("gamma", 0.000609, "decay", 210.0));
        channels.put("Ih", Map.of("gbar", 0.00008));
        for (String name : channels.keySet()) {
            assumeTrue(NeuronResources.hasMod(name + ".mod"), name + ".mod not written yet");
        }
        List<MechanismSpec> mechs = new ArrayList<>();
        mechs.add(new MechanismSpec("pas", Map.of("g", new double[]{3e-5}, "e", new double[]{-90.0})));
        channels.forEach((name, params) -> {
            Map<String, double[]> p = new LinkedHashMap<>();
            params.forEach((k, v) -> p.put(k, new double[]{v}));
            mechs.add(new MechanismSpec(name, p));
        });
        ModelSection soma = new ModelSection(new CableSection("soma", SectionType.SOMA, -1, 0.5, 20.0, new double[]{20.0},
                new double[]{0.0}), 1.0, 100.0, 50.0, -85.0, mechs);
        CellModel model = new CellModel("hay-soma", List.of(soma), 34.0, -80.0, 2.0, 5e-5, SynapseParams.PAPER_AMPA,
                List.of(new SegmentRef(0, 0)));
        int[] burst = new int[50];
        java.util.Arrays.fill(burst, 50);
        NeuronRun run = sim.run(model, new int[][]{burst, {}}, 100, DT);
        double[] v = run.somaMv();
        for (double x : v) {
            assertTrue(Double.isFinite(x) && x > -100 && x < 70, "v out of range: " + x);
        }
        assertTrue(max(v, 0, 49) < -50, "no spike before the input: " + max(v, 0, 49));
        assertTrue(max(v, 50, 60) > 0, "action potential after the input: " + max(v, 50, 60));
    }

    @Test
    void unknownMechanismFailsWithNeuronsMessage() {
        CellModel model = TestModels.somaDendrite(TestModels.E_PAS, SynapseParams.PAPER_AMPA, List.of(), "NoSuchChannel");
        NeuronException e = assertThrows(NeuronException.class, () -> sim.run(model, new int[0][], 10, DT));
        assertTrue(e.getMessage().contains("not a density mechanism name"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchChannel"), e.getMessage());
    }

    @Test
    void wrongSpikeRowsAreRejected() {
        CellModel model = TestModels.somaOnly(TestModels.E_PAS, SynapseParams.PAPER_AMPA);
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> sim.run(model, new int[][]{{1}}, 10, DT));
        assertTrue(rows.getMessage().contains("2 synapses"), rows.getMessage());
        IllegalArgumentException bin = assertThrows(IllegalArgumentException.class,
                () -> sim.run(model, new int[][]{{10}, {}}, 10, DT));
        assertTrue(bin.getMessage().contains("bin 10"), bin.getMessage());
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double max(double[] v, double fromMs, double toMs) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = (int) Math.round(fromMs / DT); i <= (int) Math.round(toMs / DT); i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }

    private static double min(double[] v, double fromMs, double toMs) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = (int) Math.round(fromMs / DT); i <= (int) Math.round(toMs / DT); i++) {
            m = Math.min(m, v[i]);
        }
        return m;
    }
}

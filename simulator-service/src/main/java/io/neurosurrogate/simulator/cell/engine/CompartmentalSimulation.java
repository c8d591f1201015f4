package io.neurosurrogate.simulator.cell.engine;

import io.neurosurrogate.simulator.cell.channels.CellState;
import io.neurosurrogate.simulator.cell.channels.Mechanism;
import io.neurosurrogate.simulator.cell.channels.Mechanisms;
import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the cable equation on a {@link CableTree}, with NEURON's default fixed-step scheme
 * (implicit Euler, {@code secondorder = 0}) so that it can be checked against NEURON step for step:
 * <ol>
 *   <li>input events due at t are delivered (a spike in 1 ms bin b arrives at t = b ms);</li>
 *   <li>membrane and synaptic currents and their dI/dV are evaluated at v(t) with the present states;</li>
 *   <li>the linearised tree system (C/dt + G_m) dv - sum g_ax (dv_j - dv_i) = -I(v) + sum g_ax (v_j - v_i)
 *       is solved in O(N) by Hines elimination, v += dv;</li>
 *   <li>channel and synapse states advance at the new v (cnexp).</li>
 * </ol>
 * All arrays are allocated up front; the step loop allocates nothing. Not thread-safe: one instance
 * per run.
 */
public final class CompartmentalSimulation {
    private final CableTree tree;
    private final double dtMs;
    private final int stepsPerMs;
    private final CellState state;
    private final Mechanism[] mechanisms;
    private final int[] calciumNodes;
    private final SynapseBank synapses;
    private final double[] areaFactor;  // density (mA/cm2, S/cm2) -> node current (nA), conductance (uS)
    private final double[] capOverDt;   // nF / ms = uS
    private final double[] iDensity;
    private final double[] gDensity;
    private final double[] iNode;
    private final double[] gNode;
    private final double[] diag;
    private final double[] rhs;
    /** Constant injected current per node (nA, inward positive, like NEURON's IClamp). */
    private final double[] injectedNa;

    public CompartmentalSimulation(CellModel model, CableTree tree, double dtMs) {
        this.tree = tree;
        this.dtMs = dtMs;
        this.stepsPerMs = (int) Math.round(1.0 / dtMs);
        if (stepsPerMs < 1 || Math.abs(stepsPerMs * dtMs - 1.0) > 1e-9) {
            throw new IllegalArgumentException("dt must divide 1 ms exactly, got " + dtMs);
        }
        int n = tree.nodes;
        state = new CellState(n, model.celsius(), model.caoMm());
        areaFactor = new double[n];
        capOverDt = new double[n];
        for (int i = 0; i < n; i++) {
            areaFactor[i] = tree.area[i] * 1e-2;
            capOverDt[i] = tree.capacitance[i] / dtMs;
        }
        iDensity = new double[n];
        gDensity = new double[n];
        iNode = new double[n];
        gNode = new double[n];
        diag = new double[n];
        rhs = new double[n];
        injectedNa = new double[n];
        mechanisms = buildMechanisms(model, tree);
        calciumNodes = calciumNodes(mechanisms, n);
        synapses = new SynapseBank(tree.siteNode, model.synapses(), dtMs);

        List<ModelSection> sections = model.sections();
        java.util.Arrays.fill(state.v, model.vInitMv());
        java.util.Arrays.fill(state.cai, model.caiInitMm());
        for (int si = 0; si < sections.size(); si++) {
            ModelSection s = sections.get(si);
            for (int seg = 0; seg < s.cable().nseg(); seg++) {
                int node = tree.firstSegmentNode[si] + seg;
                state.ena[node] = s.enaMv();
                state.ek[node] = s.ekMv();
            }
        }
        state.updateEca(calciumNodes);
        for (Mechanism m : mechanisms) {
            m.initialise(state);
        }
    }

    /** Gathers each mechanism's per-segment parameters over all sections into one instance per name. */
    private static Mechanism[] buildMechanisms(CellModel model, CableTree tree) {
        Map<String, List<int[]>> nodesByName = new LinkedHashMap<>();
        Map<String, List<Map<String, double[]>>> paramsByName = new LinkedHashMap<>();
        List<ModelSection> sections = model.sections();
        for (int si = 0; si < sections.size(); si++) {
            CableSection c = sections.get(si).cable();
            int[] nodes = new int[c.nseg()];
            for (int seg = 0; seg < nodes.length; seg++) {
                nodes[seg] = tree.firstSegmentNode[si] + seg;
            }
            for (MechanismSpec spec : sections.get(si).mechanisms()) {
                nodesByName.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(nodes);
                paramsByName.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(spec.params());
            }
        }
        List<Mechanism> result = new ArrayList<>();
        for (Map.Entry<String, List<int[]>> e : nodesByName.entrySet()) {
            List<int[]> parts = e.getValue();
            List<Map<String, double[]>> partParams = paramsByName.get(e.getKey());
            int total = parts.stream().mapToInt(a -> a.length).sum();
            int[] nodes = new int[total];
            Map<String, double[]> params = new LinkedHashMap<>();
            int offset = 0;
            for (int p = 0; p < parts.size(); p++) {
                int[] part = parts.get(p);
                System.arraycopy(part, 0, nodes, offset, part.length);
                for (Map.Entry<String, double[]> pe : partParams.get(p).entrySet()) {
                    double[] all = params.computeIfAbsent(pe.getKey(), k -> new double[total]);
                    System.arraycopy(pe.getValue(), 0, all, offset, part.length);
                }
                offset += part.length;
            }
            for (Map<String, double[]> pp : partParams) {
                if (!pp.keySet().equals(params.keySet())) {
                    throw new IllegalArgumentException("mechanism " + e.getKey() + " has different parameters in different sections");
                }
            }
            result.add(Mechanisms.create(e.getKey(), nodes, params));
        }
        // States advance mechanism by mechanism, and SK_E2 reads the cai that CaDynamics_E2 has just
        // advanced: use NEURON's order, which is registration order: built-in pas first, then the
        // mod files in the C-locale order nrnivmodl compiles them in (NeuronInstallation sets LC_ALL=C).
        result.sort(java.util.Comparator.comparing((Mechanism m) -> !m.name().equals("pas")).thenComparing(Mechanism::name));
        return result.toArray(new Mechanism[0]);
    }

    private static int[] calciumNodes(Mechanism[] mechanisms, int n) {
        boolean[] uses = new boolean[n];
        for (Mechanism m : mechanisms) {
            if (m.usesCalcium()) {
                for (int node : m.nodes()) {
                    uses[node] = true;
                }
            }
        }
        int count = 0;
        for (boolean u : uses) {
            count += u ? 1 : 0;
        }
        int[] nodes = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (uses[i]) {
                nodes[k++] = i;
            }
        }
        return nodes;
    }

    /** Injects a constant current (nA, depolarising when positive) into {@code node} for the rest of the run. */
    public void inject(int node, double nA) {
        injectedNa[node] = nA;
    }

    /** The present voltage of every node (live view, for tests). */
    public double[] voltages() {
        return state.v;
    }

    /**
     * Runs {@code durationMs} ms. {@code spikeBins[k]} are the sorted 1 ms bins with a spike on
     * synapse k (excitatory k &lt; nSites on site k, inhibitory on site k - nSites).
     */
    public CellRun run(int[][] spikeBins, int durationMs, double spikeThresholdMv, boolean keepFullTrace, int[] recordNodes) {
        int sites = tree.siteNode.length;
        if (spikeBins.length != 2 * sites) {
            throw new IllegalArgumentException("expected " + 2 * sites + " synapses, got " + spikeBins.length);
        }
        EventSchedule events = new EventSchedule(spikeBins, durationMs);
        float[] soma = new float[durationMs];
        float[][] recorded = new float[recordNodes.length][durationMs];
        int totalSteps = durationMs * stepsPerMs;
        double[] full = keepFullTrace ? new double[totalSteps + 1] : null;
        SpikeDetector detector = new SpikeDetector(spikeThresholdMv, dtMs);
        int somaNode = tree.somaNode;
        double[] v = state.v;

        long start = System.nanoTime();
        for (int ms = 0; ms < durationMs; ms++) {
            for (int e = events.start[ms]; e < events.start[ms + 1]; e++) {
                int syn = events.synapse[e];
                if (syn < sites) {
                    synapses.excitatorySpike(syn);
                } else {
                    synapses.inhibitorySpike(syn - sites);
                }
            }
            for (int k = 0; k < stepsPerMs; k++) {
                int step = ms * stepsPerMs + k;
                if (full != null) {
                    full[step] = v[somaNode];
                }
                detector.sample(v[somaNode]);
                step();
            }
            // Recorded at the end of each 1 ms bin (t = ms + 1), as SimulationTrace defines soma_mv.
            soma[ms] = (float) v[somaNode];
            for (int r = 0; r < recordNodes.length; r++) {
                recorded[r][ms] = (float) v[recordNodes[r]];
            }
        }
        if (full != null) {
            full[totalSteps] = v[somaNode];
        }
        detector.sample(v[somaNode]);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CellRun(soma, detector.spikeTimesMs(), full, recorded, seconds);
    }

    /** One implicit-Euler step of dt (see the class comment). */
    private void step() {
        int n = tree.nodes;
        double[] v = state.v;
        java.util.Arrays.fill(iDensity, 0.0);
        java.util.Arrays.fill(gDensity, 0.0);
        java.util.Arrays.fill(iNode, 0.0);
        java.util.Arrays.fill(gNode, 0.0);
        state.updateEca(calciumNodes);
        state.clearIca();
        for (Mechanism m : mechanisms) {
            m.current(state, iDensity, gDensity);
        }
        synapses.current(v, iNode, gNode);

        int[] parent = tree.parent;
        double[] gAx = tree.gAxial;
        for (int i = 0; i < n; i++) {
            diag[i] = capOverDt[i] + gDensity[i] * areaFactor[i] + gNode[i];
            rhs[i] = injectedNa[i] - (iDensity[i] * areaFactor[i] + iNode[i]);
        }
        for (int i = 1; i < n; i++) {
            int p = parent[i];
            double g = gAx[i];
            double current = g * (v[p] - v[i]);
            rhs[i] += current;
            rhs[p] -= current;
            diag[i] += g;
            diag[p] += g;
        }
        // Hines elimination: off-diagonal entries are -gAx[i] between i and parent[i].
        for (int i = n - 1; i >= 1; i--) {
            int p = parent[i];
            double f = gAx[i] / diag[i];
            diag[p] -= f * gAx[i];
            rhs[p] += f * rhs[i];
        }
        rhs[0] /= diag[0];
        for (int i = 1; i < n; i++) {
            rhs[i] = (rhs[i] + gAx[i] * rhs[parent[i]]) / diag[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] += rhs[i];
        }
        for (Mechanism m : mechanisms) {
            m.advance(state, dtMs);
        }
        synapses.advance();
    }

    /** Input spikes regrouped by 1 ms bin (compressed rows), built once per run. */
    private static final class EventSchedule {
        final int[] start;
        final int[] synapse;

        EventSchedule(int[][] spikeBins, int durationMs) {
            start = new int[durationMs + 1];
            for (int[] bins : spikeBins) {
                for (int b : bins) {
                    if (b < 0 || b >= durationMs) {
                        throw new IllegalArgumentException("spike bin " + b + " outside [0, " + durationMs + ")");
                    }
                    start[b + 1]++;
                }
            }
            for (int ms = 0; ms < durationMs; ms++) {
                start[ms + 1] += start[ms];
            }
            synapse = new int[start[durationMs]];
            int[] fill = java.util.Arrays.copyOf(start, durationMs);
            for (int k = 0; k < spikeBins.length; k++) {
                for (int b : spikeBins[k]) {
                    synapse[fill[b]++] = k;
                }
            }
        }
    }
}

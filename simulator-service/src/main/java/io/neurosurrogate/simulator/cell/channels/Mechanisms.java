package io.neurosurrogate.simulator.cell.channels;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The registry of Java mechanisms by NMODL SUFFIX name, so that a
 * {@link io.neurosurrogate.simulator.cell.model.MechanismSpec} becomes a {@link Mechanism}. Each name
 * has exactly one NMODL twin in {@code src/main/resources/neuron/mod/<name>.mod} (pas is NEURON's
 * built-in). Parameter names: "gbar" (S/cm2) for every channel, "g" (S/cm2) and "e" (mV) for pas,
 * "gamma" (1) and "decay" (ms) for CaDynamics_E2.
 */
public final class Mechanisms {

    private record Entry(List<String> params, Function<double[][], Function<int[], Mechanism>> factory) {
    }

    private static final Map<String, Entry> REGISTRY = new TreeMap<>();

    static {
        channel(NaTaT.NAME, NaTaT::new);
        channel(NaTs2T.NAME, NaTs2T::new);
        channel(NapEt2.NAME, NapEt2::new);
        channel(KPst.NAME, KPst::new);
        channel(KTst.NAME, KTst::new);
        channel(SKv31.NAME, SKv31::new);
        channel(SkE2.NAME, SkE2::new);
        channel(Im.NAME, Im::new);
        channel(Ih.NAME, Ih::new);
        channel(CaHva.NAME, CaHva::new);
        channel(CaLvaSt.NAME, CaLvaSt::new);
        REGISTRY.put(CaDynamicsE2.NAME, new Entry(List.of("gamma", "decay"),
                p -> nodes -> new CaDynamicsE2(nodes, p[0], p[1])));
        REGISTRY.put(Pas.NAME, new Entry(List.of("g", "e"), p -> nodes -> new Pas(nodes, p[0], p[1])));
    }

    private static void channel(String name, BiFunction<int[], double[], Mechanism> constructor) {
        REGISTRY.put(name, new Entry(List.of("gbar"), p -> nodes -> constructor.apply(nodes, p[0])));
    }

    private Mechanisms() {
    }

    /** The known SUFFIX names, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(REGISTRY.keySet());
    }

    /** The parameter names {@code name} needs. */
    public static List<String> parameters(String name) {
        return entry(name).params();
    }

    /**
     * Creates mechanism {@code name} on {@code nodes}.
     *
     * @param paramsPerNode every parameter of the mechanism, one value per node (in the order of
     *                      {@code nodes}); no others
     * @throws IllegalArgumentException for an unknown name, a missing or unknown parameter, or a
     *                                  parameter array of the wrong length
     */
    public static Mechanism create(String name, int[] nodes, Map<String, double[]> paramsPerNode) {
        Entry entry = entry(name);
        for (String key : paramsPerNode.keySet()) {
            if (!entry.params().contains(key)) {
                throw new IllegalArgumentException("mechanism " + name + " has no parameter \"" + key
                        + "\"; it takes " + entry.params());
            }
        }
        double[][] values = new double[entry.params().size()][];
        for (int p = 0; p < values.length; p++) {
            String key = entry.params().get(p);
            double[] v = paramsPerNode.get(key);
            if (v == null) {
                throw new IllegalArgumentException("mechanism " + name + ": missing parameter \"" + key + "\"");
            }
            if (v.length != nodes.length) {
                throw new IllegalArgumentException("mechanism " + name + ": parameter \"" + key + "\" has "
                        + v.length + " values for " + nodes.length + " nodes");
            }
            values[p] = v;
        }
        return entry.factory().apply(values).apply(nodes);
    }

    private static Entry entry(String name) {
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown mechanism \"" + name + "\"; known: " + REGISTRY.keySet());
        }
        return entry;
    }
}

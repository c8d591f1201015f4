package io.neurosurrogate.simulator.cell.model;

import java.util.Map;

/**
 * One membrane mechanism inserted in a section, with its parameters per segment. Names are the
 * NMODL SUFFIX names ("pas", "NaTs2_t", "Ih", "CaDynamics_E2", ...); parameter names are the NMODL
 * RANGE names without suffix ("g", "e", "gbar", "gamma", "decay"). Each array has one value per
 * segment of the section. Units as in NMODL: conductances S/cm2, potentials mV, times ms.
 */
public record MechanismSpec(String name, Map<String, double[]> params) {

    public MechanismSpec {
        params = Map.copyOf(params);
    }

    public double[] param(String key) {
        double[] v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException("mechanism " + name + " has no parameter " + key);
        }
        return v;
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;

import java.util.List;

/**
 * What all simulations of a dataset must share for one surrogate to fit them: neuron model, synapse
 * counts, time base and spike threshold. Rejects mixed datasets with a message naming the outlier.
 */
public record DatasetShape(String neuronModel, int nExc, int nInh, double dtMs, double vThresholdMv,
                           double releaseProbability, double temperatureC) {

    /** Beniaguev et al. 2021 clip the soma voltage at -55 mV; used when the metadata leaves the threshold unset. */
    public static final double DEFAULT_CLIP_MV = -55.0;

    public static DatasetShape of(List<SimulationTrace> sims) {
        return ofMetadata(sims == null ? List.of() : sims.stream().map(SimulationTrace::meta).toList());
    }

    public static DatasetShape of(SimulationSource sims) {
        return ofMetadata(sims.allMetadata());
    }

    public static DatasetShape ofMetadata(List<SimulationMetadata> sims) {
        if (sims.isEmpty()) {
            throw DomainException.invalid("the dataset holds no simulations");
        }
        SimulationMetadata first = sims.get(0);
        for (SimulationMetadata m : sims) {
            String id = m.getSimulationId();
            if (!m.getNeuronModel().equals(first.getNeuronModel())) {
                throw DomainException.invalid("simulation " + id + " is of neuron model '" + m.getNeuronModel() + "', the dataset of '" + first.getNeuronModel() + "'");
            }
            if (m.getNExc() != first.getNExc() || m.getNInh() != first.getNInh()) {
                throw DomainException.invalid("simulation " + id + " has " + m.getNExc() + "+" + m.getNInh()
                        + " synapses, the dataset " + first.getNExc() + "+" + first.getNInh());
            }
            if (m.getDtMs() != first.getDtMs()) {
                throw DomainException.invalid("simulation " + id + " has dt_ms " + m.getDtMs() + ", the dataset " + first.getDtMs());
            }
            if (m.getVThresholdMv() != first.getVThresholdMv()) {
                throw DomainException.invalid("simulation " + id + " has threshold " + m.getVThresholdMv() + " mV, the dataset " + first.getVThresholdMv());
            }
        }
        if (first.getNExc() + first.getNInh() <= 0) {
            throw DomainException.invalid("simulations have no synapses");
        }
        double clip = first.getVThresholdMv() == 0 ? DEFAULT_CLIP_MV : first.getVThresholdMv();
        double release = parameter(first, "release_probability", 1.0);
        double defaultTemperature = first.getNeuronModel().startsWith("iaf") ? 0.0 : 34.0;
        double temperature = parameter(first, "temperature_c", parameter(first, "celsius", defaultTemperature));
        return new DatasetShape(first.getNeuronModel(), first.getNExc(), first.getNInh(),
                first.getDtMs() == 0 ? 1.0 : first.getDtMs(), clip, release, temperature);
    }

    public int synapses() {
        return nExc + nInh;
    }

    /** e.g. "exc[0..79],inh[0..19]": excitatory synapses first, then inhibitory. */
    public String synapseOrder() {
        StringBuilder sb = new StringBuilder();
        if (nExc > 0) {
            sb.append("exc[0..").append(nExc - 1).append(']');
        }
        if (nInh > 0) {
            sb.append(sb.length() > 0 ? "," : "").append("inh[0..").append(nInh - 1).append(']');
        }
        return sb.toString();
    }

    private static double parameter(SimulationMetadata m, String key, double fallback) {
        String v = m.getParamsMap().get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

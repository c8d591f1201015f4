package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.input.IafInputGenerator;
import io.neurosurrogate.simulator.input.InputGenerator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The integrate-and-fire neuron of Beniaguev, Segev &amp; London (Neuron 2021, Figure 1):
 * 80 excitatory and 20 inhibitory inputs with weights +1 / -1,
 * {@code V(t) = v_reset + 2 mV * sum_i w_i * (spikes_i * exp(-t / 20 ms))}, v_reset -75 mV,
 * threshold -55 mV; on a crossing the neuron spikes and V returns to v_reset.
 *
 * <p>Inputs are Bernoulli spikes in 1 ms bins, so the convolution is integrated exactly per bin:
 * {@code u *= exp(-1 ms / tau); u += 2 mV * (exc - inh)}. The paper's reset is itself an
 * exponentially decaying kernel of size {@code V - v_reset}; with the same time constant as the
 * synaptic kernel, adding it is the same as setting {@code u := 0}. The recorded voltage of a spike
 * bin is the value before the reset (so the spike is visible in the trace) and the spike time is the
 * bin's time.
 */
public final class IntegrateAndFireEngine implements NeuronEngine {
    public static final String NAME = "iaf";
    public static final int N_EXC = 80;
    public static final int N_INH = 20;
    public static final double V_RESET_MV = -75.0;
    public static final double V_THRESHOLD_MV = -55.0;
    public static final double TAU_MS = 20.0;
    public static final double PSP_MV = 2.0;
    public static final double DT_MS = 1.0;

    private static final double DECAY_PER_BIN = Math.exp(-DT_MS / TAU_MS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InputGenerator inputGenerator(InputStatistics overrides) {
        return IafInputGenerator.of(overrides, N_EXC, N_INH);
    }

    @Override
    public int nExc() {
        return N_EXC;
    }

    @Override
    public int nInh() {
        return N_INH;
    }

    @Override
    public double vRestMv() {
        return V_RESET_MV;
    }

    @Override
    public double vThresholdMv() {
        return V_THRESHOLD_MV;
    }

    @Override
    public double simDtMs() {
        return DT_MS;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("engine.tau_ms", Double.toString(TAU_MS));
        p.put("engine.psp_mv", Double.toString(PSP_MV));
        p.put("engine.v_reset_mv", Double.toString(V_RESET_MV));
        p.put("engine.v_threshold_mv", Double.toString(V_THRESHOLD_MV));
        return p;
    }

    @Override
    public NeuronResponse simulate(SynapticInput input) {
        if (input.nExc() != N_EXC || input.nInh() != N_INH) {
            throw new IllegalArgumentException("the I&F neuron takes " + N_EXC + " excitatory and " + N_INH
                    + " inhibitory inputs, got " + input.nExc() + " and " + input.nInh());
        }
        int duration = input.durationMs();
        int[] netInput = netInputPerBin(input);
        float[] soma = new float[duration];
        double[] spikes = new double[16];
        int spikeCount = 0;
        double u = 0.0;
        for (int t = 0; t < duration; t++) {
            u = u * DECAY_PER_BIN + PSP_MV * netInput[t];
            double v = V_RESET_MV + u;
            soma[t] = (float) v;
            if (v >= V_THRESHOLD_MV) {
                if (spikeCount == spikes.length) {
                    spikes = Arrays.copyOf(spikes, spikeCount * 2);
                }
                spikes[spikeCount++] = t * DT_MS;
                u = 0.0;
            }
        }
        return new NeuronResponse(soma, Arrays.copyOf(spikes, spikeCount));
    }

    /** Excitatory minus inhibitory spike count of every bin (the weights are +1 / -1). */
    private static int[] netInputPerBin(SynapticInput input) {
        int duration = input.durationMs();
        int[] net = new int[duration];
        for (int s = 0; s < input.synapses(); s++) {
            int sign = input.isExcitatory(s) ? 1 : -1;
            int[] bins = input.spikeBins(s);
            for (int i = 0; i < bins.length; i++) {
                int bin = bins[i];
                if (bin < 0 || bin >= duration) {
                    throw new IllegalArgumentException("synapse " + s + ": spike bin " + bin + " outside [0, " + duration + ")");
                }
                net[bin] += sign;
            }
        }
        return net;
    }
}

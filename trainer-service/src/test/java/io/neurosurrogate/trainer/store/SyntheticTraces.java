package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small integrate-and-fire simulations for tests, after Beniaguev et al. 2021 (80 exc + 20 inh
 * inputs, weights +-1, 2 mV per spike with a 20 ms exponential kernel, v_reset -75 mV, threshold
 * -55 mV, piecewise-constant input rates per 100 ms). Rates are raised a little so that short test
 * simulations still contain output spikes.
 */
public final class SyntheticTraces {
    public static final int N_EXC = 80;
    public static final int N_INH = 20;

    private SyntheticTraces() {
    }

    public static SimulationTrace iaf(String simulationId, String campaignId, long seed, int durationMs) {
        Random rnd = new Random(seed);
        int synapses = N_EXC + N_INH;
        List<List<Integer>> bins = new ArrayList<>();
        for (int s = 0; s < synapses; s++) {
            bins.add(new ArrayList<>());
        }
        float[] soma = new float[durationMs];
        List<Double> out = new ArrayList<>();
        double decay = Math.exp(-1.0 / 20.0);
        double x = 0;
        double pExc = 0;
        double pInh = 0;
        for (int t = 0; t < durationMs; t++) {
            if (t % 100 == 0) {
                double exc = rnd.nextDouble() * 90;
                double inh = Math.max(0, exc - 15 - rnd.nextDouble() * 35);
                pExc = exc / (N_EXC * 100.0);
                pInh = inh / (N_INH * 100.0 * 4);
            }
            x *= decay;
            for (int s = 0; s < synapses; s++) {
                boolean exc = s < N_EXC;
                if (rnd.nextDouble() < (exc ? pExc : pInh)) {
                    bins.get(s).add(t);
                    x += exc ? 2.0 : -2.0;
                }
            }
            double v = -75 + x;
            if (v >= -55) {
                out.add(t + 0.5);
                soma[t] = 20f;  // the spike itself; the surrogate's targets clip it at -55 mV
                x = 0;
            } else {
                soma[t] = (float) v;
            }
        }
        int[][] spikeBins = new int[synapses][];
        for (int s = 0; s < synapses; s++) {
            spikeBins[s] = bins.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        SimulationMetadata meta = SimulationMetadata.newBuilder()
                .setSimulationId(simulationId).setCampaignId(campaignId).setNeuronModel("iaf")
                .setSeed(seed).setDtMs(1.0).setSimDtMs(1.0).setDurationMs(durationMs)
                .setNExc(N_EXC).setNInh(N_INH).setEngine("test").setVRestMv(-75).setVThresholdMv(-55)
                .build();
        return new SimulationTrace(meta, spikeBins, soma, out.stream().mapToDouble(Double::doubleValue).toArray());
    }
}

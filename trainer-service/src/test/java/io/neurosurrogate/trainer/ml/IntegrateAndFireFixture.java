package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test fixture: integrate-and-fire simulations as DESIGN.md specifies them (Beniaguev, Segev &amp;
 * London, Neuron 2021, I&amp;F figure), small and self-contained so ML tests need no simulator service.
 *
 * <p>Neuron: 80 excitatory (+1) and 20 inhibitory (-1) inputs; V = v_reset + 2 mV * sum_i w_i
 * (spikes_i * exp(-t / 20 ms)); at -55 mV it spikes and V returns to v_reset = -75 mV (the reset
 * kernel decays with the same 20 ms, so resetting the summed potential is exact). The spike bin
 * records 0 mV (a stand-in peak; targets clip it at -55 mV).
 *
 * <p>Input: per hold interval (25-100 ms) total excitatory spikes per 100 ms ~ U[0, 50], inhibitory =
 * excitatory + U[-50, -15] floored at 0; rates smoothed with a Gaussian of sigma 40-100 ms, spread
 * over synapses with U(0.5, 1.5) factors; Bernoulli spikes per 1 ms bin.
 */
public final class IntegrateAndFireFixture {
    public static final int N_EXC = 80;
    public static final int N_INH = 20;
    public static final double V_RESET = -75;
    public static final double V_THRESHOLD = -55;
    private static final double TAU_MS = 20;
    private static final double PSP_MV = 2;

    private IntegrateAndFireFixture() {
    }

    public static List<SimulationTrace> simulations(int count, int durationMs, long seed) {
        List<SimulationTrace> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(simulate("fixture-" + String.format("%04d", i), i, durationMs, seed * 1_000_003L + i));
        }
        return out;
    }

    public static SimulationTrace simulate(String id, int index, int durationMs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] excTotal = new double[durationMs];   // expected exc spikes per ms, all synapses
        double[] inhTotal = new double[durationMs];
        int t = 0;
        while (t < durationMs) {
            int hold = 25 + rnd.nextInt(76);
            double exc = rnd.nextDouble() * 50 / 100.0;
            double inh = Math.max(0, exc + (-50 + rnd.nextDouble() * 35) / 100.0);
            for (int k = t; k < Math.min(durationMs, t + hold); k++) {
                excTotal[k] = exc;
                inhTotal[k] = inh;
            }
            t += hold;
        }
        double sigma = 40 + rnd.nextDouble() * 60;
        excTotal = smooth(excTotal, sigma);
        inhTotal = smooth(inhTotal, sigma);
        int synapses = N_EXC + N_INH;
        double[] spread = new double[synapses];
        for (int s = 0; s < synapses; s++) {
            spread[s] = 0.5 + rnd.nextDouble();
        }
        int[][] counts = new int[synapses][];
        int[][] tmp = new int[synapses][durationMs];
        int[] n = new int[synapses];
        float[] soma = new float[durationMs];
        List<Double> outSpikes = new ArrayList<>();
        double decay = Math.exp(-1.0 / TAU_MS);
        double u = 0;  // V - v_reset
        for (t = 0; t < durationMs; t++) {
            int drive = 0;
            for (int s = 0; s < synapses; s++) {
                boolean exc = s < N_EXC;
                double p = (exc ? excTotal[t] / N_EXC : inhTotal[t] / N_INH) * spread[s];
                if (rnd.nextDouble() < p) {
                    tmp[s][n[s]++] = t;
                    drive += exc ? 1 : -1;
                }
            }
            u = u * decay + PSP_MV * drive;
            if (V_RESET + u >= V_THRESHOLD) {
                outSpikes.add(t + 0.5);
                soma[t] = 0f;
                u = 0;
            } else {
                soma[t] = (float) (V_RESET + u);
            }
        }
        for (int s = 0; s < synapses; s++) {
            counts[s] = java.util.Arrays.copyOf(tmp[s], n[s]);
        }
        double[] spikes = new double[outSpikes.size()];
        for (int i = 0; i < spikes.length; i++) {
            spikes[i] = outSpikes.get(i);
        }
        SimulationMetadata meta = SimulationMetadata.newBuilder()
                .setSimulationId(id).setCampaignId("fixture").setNeuronModel("iaf").setSeed(seed).setSimIndex(index)
                .setDtMs(1.0).setSimDtMs(1.0).setDurationMs(durationMs).setNExc(N_EXC).setNInh(N_INH)
                .setEngine("test-fixture").setVRestMv(V_RESET).setVThresholdMv(V_THRESHOLD)
                .build();
        return new SimulationTrace(meta, counts, soma, spikes);
    }

    private static double[] smooth(double[] x, double sigma) {
        int half = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) {
            kernel[k + half] = Math.exp(-0.5 * k * k / (sigma * sigma));
        }
        double[] out = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double sum = 0;
            double norm = 0;
            for (int k = -half; k <= half; k++) {
                int j = t + k;
                if (j >= 0 && j < x.length) {
                    sum += kernel[k + half] * x[j];
                    norm += kernel[k + half];
                }
            }
            out[t] = sum / norm;
        }
        return out;
    }
}

package io.neurosurrogate.simulator.input;

/**
 * Seeds of the simulations of a campaign. Simulation {@code i} gets a SplitMix64-style mix of the
 * campaign seed and {@code i}: neighbouring indices and neighbouring campaign seeds give unrelated
 * streams, and the same campaign seed always gives the same simulations.
 */
public final class SimulationSeeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SimulationSeeds() {
    }

    public static long forSimulation(long campaignSeed, int index) {
        return mix64(campaignSeed + GOLDEN_GAMMA * (index + 1L));
    }

    /** Stafford's "Mix13" finaliser, as used by SplitMix64: a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

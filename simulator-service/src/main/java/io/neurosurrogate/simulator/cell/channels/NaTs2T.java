package io.neurosurrogate.simulator.cell.channels;

/**
 * Somatic transient Na current "NaTs2_t" (Hay et al. 2011, ModelDB 139653 NaTs2_t.mod): NaTa_t
 * shifted by +6 mV, i.e. the {@link TransientSodium} current with half-points -32 mV (m) and
 * -60 mV (h).
 */
public final class NaTs2T extends TransientSodium {

    public static final String NAME = "NaTs2_t";

    public NaTs2T(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, -32, -60);
    }
}

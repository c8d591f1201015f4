package io.neurosurrogate.simulator.cell.channels;

/**
 * Fast inactivating (transient) Na current "NaTa_t" (Hay et al. 2011, ModelDB 139653 NaTa_t.mod):
 * the {@link TransientSodium} current with half-points -38 mV (m) and -66 mV (h).
 */
public final class NaTaT extends TransientSodium {

    public static final String NAME = "NaTa_t";

    public NaTaT(int[] nodes, double[] gbar) {
        super(NAME, nodes, gbar, -38, -66);
    }
}

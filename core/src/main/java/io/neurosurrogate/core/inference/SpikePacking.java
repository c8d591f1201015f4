package io.neurosurrogate.core.inference;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.util.Arrays;
import java.util.List;

/**
 * The packed wire form of input spikes ({@link PackedSpikes}): for each [neuron][bin] the synapses
 * that spiked, ascending and delta-coded. One rule for every side: clients build it with
 * {@link Builder} (or {@link #fromInputs}), the gateway {@linkplain #check checks} it without knowing
 * the model, the inference service {@linkplain #decode decodes} it against the model's synapse count.
 */
public final class SpikePacking {
    private SpikePacking() {
    }

    /**
     * Checks {@code packed} for {@code neurons} x {@code bins}: counts has all entries or none, as many
     * deltas as the counts add up to, each bin's synapses ascending and below {@code synapses}.
     *
     * @param synapses the model's synapse count, or {@link Integer#MAX_VALUE} when it is not known here
     * @param field    the field's name in messages, e.g. "step.packed"
     * @throws DomainException INVALID_ARGUMENT naming the field, the neuron and the bin
     */
    public static void check(PackedSpikes packed, int neurons, int bins, int synapses, String field) {
        walk(packed, neurons, bins, synapses, field, null);
    }

    /**
     * The synapse indices of {@code packed}, checked as by {@link #check}: {@code result[k]} is the
     * k-th spike's synapse, bin after bin in counts order; {@link #binStarts} tells where each bin begins.
     */
    public static int[] decode(PackedSpikes packed, int neurons, int bins, int synapses, String field) {
        int[] out = new int[packed.getSynapseDeltasCount()];
        walk(packed, neurons, bins, synapses, field, out);
        return out;
    }

    /**
     * Where each [neuron][bin] begins in the decoded synapses: entries {@code starts[g] .. starts[g+1])}
     * belong to bin g = neuron * bins + bin; {@code neurons * bins + 1} entries. Call after {@link #check}
     * or {@link #decode}, which guarantee the counts add up.
     */
    public static int[] binStarts(PackedSpikes packed, int neurons, int bins) {
        int groups = neurons * bins;
        int[] starts = new int[groups + 1];
        if (packed.getCountsCount() == 0) {
            return starts;
        }
        for (int g = 0; g < groups; g++) {
            starts[g + 1] = starts[g] + packed.getCounts(g);
        }
        return starts;
    }

    /** Whether {@code packed} carries no spike at all (no counts, no deltas). */
    public static boolean isEmpty(PackedSpikes packed) {
        return packed.getCountsCount() == 0 && packed.getSynapseDeltasCount() == 0;
    }

    private static void walk(PackedSpikes packed, int neurons, int bins, int synapses, String field, int[] out) {
        long groups = (long) neurons * bins;
        int counts = packed.getCountsCount();
        int deltas = packed.getSynapseDeltasCount();
        if (counts == 0) {
            if (deltas != 0) {
                throw DomainException.invalid(field + ".synapse_deltas has " + deltas + " entries but counts has none (give counts for every "
                        + "[neuron][bin], " + neurons + " x " + bins + ")");
            }
            return;
        }
        if (counts != groups) {
            throw DomainException.invalid(field + ".counts has " + counts + " entries, " + neurons + " neurons x " + bins + " bins = "
                    + groups + " are needed ([neuron][bin], row-major), or none for no input spikes");
        }
        long total = 0;
        for (int g = 0; g < counts; g++) {
            total += Integer.toUnsignedLong(packed.getCounts(g));
        }
        if (total != deltas) {
            throw DomainException.invalid(field + ".synapse_deltas has " + deltas + " entries, the counts add up to " + total);
        }
        int k = 0;
        for (int g = 0; g < counts; g++) {
            int count = packed.getCounts(g);
            long synapse = -1;
            for (int j = 0; j < count; j++, k++) {
                long delta = Integer.toUnsignedLong(packed.getSynapseDeltas(k));
                if (j > 0 && delta == 0) {
                    throw DomainException.invalid(field + ".synapse_deltas[" + k + "] = 0 (neuron " + g / bins + ", bin " + g % bins
                            + "): a bin's synapses must be ascending, each at most once");
                }
                synapse = j == 0 ? delta : synapse + delta;
                if (synapse >= synapses) {
                    throw DomainException.invalid(field + ": neuron " + g / bins + ", bin " + g % bins + " has synapse " + synapse
                            + " (synapse_deltas[" + k + "]) outside 0.." + (synapses - 1));
                }
                if (out != null) {
                    out[k] = (int) synapse;
                }
            }
        }
    }

    /** The packed form of per-neuron inputs (bins relative to the first, all below {@code bins}); for clients holding that form. */
    public static PackedSpikes fromInputs(List<SparseNeuronInput> inputs, int bins) {
        Builder b = new Builder(inputs.size(), bins);
        for (int n = 0; n < inputs.size(); n++) {
            for (SynapseSpikes s : inputs.get(n).getSynapsesList()) {
                for (int i = 0; i < s.getBinsCount(); i++) {
                    b.add(n, s.getBins(i), s.getSynapse());
                }
            }
        }
        return b.build();
    }

    /**
     * Collects spikes in any order and packs them. A spike given twice (same neuron, bin and synapse)
     * counts once, as in the dense form, where an input is 0 or 1.
     */
    public static final class Builder {
        private final int neurons;
        private final int bins;
        /** (neuron * bins + bin) << 32 | synapse, sorted at build time. */
        private long[] spikes = new long[64];
        private int size;

        public Builder(int neurons, int bins) {
            if (neurons < 1 || bins < 1) {
                throw new IllegalArgumentException("neurons and bins must be >= 1, got " + neurons + " x " + bins);
            }
            this.neurons = neurons;
            this.bins = bins;
        }

        /** Synapse {@code synapse} of neuron {@code neuron} spiked in bin {@code bin} (relative to the first). */
        public Builder add(int neuron, int bin, int synapse) {
            if (neuron < 0 || neuron >= neurons || bin < 0 || bin >= bins || synapse < 0) {
                throw new IllegalArgumentException("spike (neuron " + neuron + ", bin " + bin + ", synapse " + synapse + ") outside "
                        + neurons + " neurons x " + bins + " bins");
            }
            if (size == spikes.length) {
                spikes = Arrays.copyOf(spikes, size * 2);
            }
            spikes[size++] = ((long) neuron * bins + bin) << 32 | synapse;
            return this;
        }

        public PackedSpikes build() {
            PackedSpikes.Builder out = PackedSpikes.newBuilder();
            if (size == 0) {
                return out.build();
            }
            long[] sorted = Arrays.copyOf(spikes, size);
            Arrays.sort(sorted);
            int[] counts = new int[neurons * bins];
            int[] deltas = new int[size];
            int d = 0;
            long previous = -1;
            for (long s : sorted) {
                if (s == previous) {
                    continue;
                }
                int group = (int) (s >>> 32);
                int synapse = (int) s;
                boolean sameGroup = previous >= 0 && (int) (previous >>> 32) == group;
                deltas[d++] = sameGroup ? synapse - (int) previous : synapse;
                counts[group]++;
                previous = s;
            }
            for (int c : counts) {
                out.addCounts(c);
            }
            for (int i = 0; i < d; i++) {
                out.addSynapseDeltas(deltas[i]);
            }
            return out.build();
        }
    }
}

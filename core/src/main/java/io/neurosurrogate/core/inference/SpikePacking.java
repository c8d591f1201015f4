package io.neurosurrogate.core.inference;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.util.Arrays;
import java.util.List;

/**
 * The packed wire form of input spikes ({@link PackedSpikes}): for each [neuron][bin] the synapses
 * that spiked, ascending, delta-coded, as varints in one bytes field. One rule for every side: clients
 * build it with {@link Builder} (or {@link #fromInputs}), the gateway {@linkplain #check checks} it
 * without knowing the model, the inference service reads it spike by spike with a {@link Reader}.
 */
public final class SpikePacking {
    private SpikePacking() {
    }

    /**
     * Checks {@code packed} for {@code neurons} x {@code bins}: counts has all entries or none, the
     * deltas hold exactly as many varints as the counts add up to, each bin's synapses ascending and
     * below {@code synapses}.
     *
     * @param synapses the model's synapse count, or {@link Integer#MAX_VALUE} when it is not known here
     * @param field    the field's name in messages, e.g. "step.packed"
     * @throws DomainException INVALID_ARGUMENT naming the field, the neuron and the bin
     */
    public static void check(PackedSpikes packed, int neurons, int bins, int synapses, String field) {
        Reader r = new Reader(packed, neurons, bins, synapses, field);
        for (long k = r.spikes(); k > 0; k--) {
            r.next();
        }
        r.finish();
    }

    /**
     * The synapse indices of {@code packed}, checked as by {@link #check}: {@code result[k]} is the
     * k-th spike's synapse, bin after bin in counts order (a {@link Reader} also tells each spike's bin).
     */
    public static int[] decode(PackedSpikes packed, int neurons, int bins, int synapses, String field) {
        Reader r = new Reader(packed, neurons, bins, synapses, field);
        int[] out = new int[Math.toIntExact(r.spikes())];
        for (int k = 0; k < out.length; k++) {
            out[k] = r.next();
        }
        r.finish();
        return out;
    }

    /** Whether {@code packed} carries no spike at all (no counts, no deltas). */
    public static boolean isEmpty(PackedSpikes packed) {
        return packed.getCountsCount() == 0 && packed.getSynapseDeltas().isEmpty();
    }

    /**
     * Reads the spikes of a PackedSpikes one by one, in counts order, checking as it goes. The
     * constructor checks the counts; {@link #next} each spike; {@link #finish} that no byte is left.
     */
    public static final class Reader {
        private final PackedSpikes packed;
        private final int bins;
        private final int synapses;
        private final String field;
        private final byte[] bytes;
        private final long spikes;
        private int at;
        private int spike;
        private int group = -1;
        private int left;
        private long synapse;

        /** @throws DomainException INVALID_ARGUMENT when the counts do not fit {@code neurons} x {@code bins} */
        public Reader(PackedSpikes packed, int neurons, int bins, int synapses, String field) {
            this.packed = packed;
            this.bins = bins;
            this.synapses = synapses;
            this.field = field;
            this.bytes = packed.getSynapseDeltas().toByteArray();
            long groups = (long) neurons * bins;
            int counts = packed.getCountsCount();
            if (counts == 0) {
                if (bytes.length != 0) {
                    throw DomainException.invalid(field + ".synapse_deltas has " + bytes.length + " bytes but counts has none (give counts"
                            + " for every [neuron][bin], " + neurons + " x " + bins + ")");
                }
                spikes = 0;
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
            if (total > bytes.length) {
                throw DomainException.invalid(field + ": the counts add up to " + total + " spikes, synapse_deltas has only "
                        + bytes.length + " bytes (at least one per spike)");
            }
            spikes = total;
        }

        /** How many spikes the counts announce. */
        public long spikes() {
            return spikes;
        }

        /** The next spike's synapse; call it {@link #spikes()} times. */
        public int next() {
            while (left == 0) {
                group++;
                left = packed.getCounts(group);
                synapse = -1;
            }
            long delta = varint();
            if (synapse >= 0 && delta == 0) {
                throw DomainException.invalid(field + ".synapse_deltas: spike " + spike + " (neuron " + group / bins + ", bin " + group % bins
                        + ") has delta 0: a bin's synapses must be ascending, each at most once");
            }
            synapse = synapse < 0 ? delta : synapse + delta;
            if (synapse >= synapses) {
                throw DomainException.invalid(field + ": neuron " + group / bins + ", bin " + group % bins + " has synapse " + synapse
                        + " (spike " + spike + ") outside 0.." + (synapses - 1));
            }
            left--;
            spike++;
            return (int) synapse;
        }

        /** The [neuron][bin] (neuron * bins + bin) of the spike {@link #next} returned last. */
        public int group() {
            return group;
        }

        /** @throws DomainException INVALID_ARGUMENT when bytes are left after the last spike */
        public void finish() {
            if (at != bytes.length) {
                throw DomainException.invalid(field + ".synapse_deltas has " + (bytes.length - at) + " bytes left after the "
                        + spikes + " varints the counts announce");
            }
        }

        private long varint() {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (at == bytes.length) {
                    throw DomainException.invalid(field + ".synapse_deltas ends inside or before the varint of spike " + spike
                            + " (the counts announce " + spikes + ")");
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    if (value > 0xffffffffL) {
                        break;
                    }
                    return value;
                }
            }
            throw DomainException.invalid(field + ".synapse_deltas: the varint of spike " + spike + " is longer than a uint32");
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
            byte[] deltas = new byte[size * 5];
            int at = 0;
            long previous = -1;
            for (long s : sorted) {
                if (s == previous) {
                    continue;
                }
                int group = (int) (s >>> 32);
                int synapse = (int) s;
                boolean sameGroup = previous >= 0 && (int) (previous >>> 32) == group;
                at = writeVarint(deltas, at, sameGroup ? synapse - (int) previous : synapse);
                counts[group]++;
                previous = s;
            }
            for (int c : counts) {
                out.addCounts(c);
            }
            return out.setSynapseDeltas(ByteString.copyFrom(deltas, 0, at)).build();
        }
    }

    /** Writes {@code value} (>= 0) as a varint at {@code out[at]}; returns the position after it. */
    public static int writeVarint(byte[] out, int at, int value) {
        while ((value & ~0x7f) != 0) {
            out[at++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }
}

package io.neurosurrogate.core.inference;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpikePackingTest {

    @Test
    void builderGivesTheProtosExampleWhateverTheOrderAndCountsARepeatOnce() {
        // inference.proto: 2 neurons x 2 bins; neuron 0 on synapses 3 and 7 in bin 1, neuron 1 on synapse 5 in bin 0
        PackedSpikes p = new SpikePacking.Builder(2, 2).add(0, 1, 7).add(1, 0, 5).add(0, 1, 3).add(0, 1, 7).build();
        assertThat(p.getCountsList()).containsExactly(0, 2, 1, 0);
        assertThat(p.getSynapseDeltas().toByteArray()).containsExactly(3, 4, 5);
        assertThat(SpikePacking.decode(p, 2, 2, 8, "p")).containsExactly(3, 7, 5);
        SpikePacking.Reader r = new SpikePacking.Reader(p, 2, 2, 8, "p");
        int[] groups = new int[3];
        for (int k = 0; k < 3; k++) {
            r.next();
            groups[k] = r.group();
        }
        assertThat(groups).as("[neuron][bin] of each spike").containsExactly(1, 1, 2);
        assertThat(new SpikePacking.Builder(3, 4).build()).isEqualTo(PackedSpikes.getDefaultInstance());
    }

    @Test
    void deltasOfSevenBitsAndMoreAreVarints() {
        // inference.proto: synapse 300 alone is 0xAC 0x02; then +1 and +16384 (three bytes)
        PackedSpikes p = new SpikePacking.Builder(1, 1).add(0, 0, 300).add(0, 0, 301).add(0, 0, 301 + 16384).build();
        assertThat(p.getSynapseDeltas().toByteArray()).containsExactly(0xAC, 0x02, 0x01, 0x80, 0x80, 0x01);
        assertThat(SpikePacking.decode(p, 1, 1, 20000, "p")).containsExactly(300, 301, 16685);
    }

    @Test
    void randomSpikesDecodeToWhatWasPacked() {
        Random rng = new Random(3);
        int neurons = 5, bins = 7, synapses = 300;
        Set<Long> spikes = new HashSet<>();
        SpikePacking.Builder b = new SpikePacking.Builder(neurons, bins);
        for (int i = 0; i < 400; i++) {
            int n = rng.nextInt(neurons), t = rng.nextInt(bins), s = rng.nextInt(synapses);
            b.add(n, t, s);
            spikes.add(((long) (n * bins + t) << 32) | s);
        }
        PackedSpikes p = b.build();
        SpikePacking.Reader r = new SpikePacking.Reader(p, neurons, bins, synapses, "p");
        Set<Long> decoded = new HashSet<>();
        for (long k = r.spikes(); k > 0; k--) {
            int synapse = r.next();
            assertThat(decoded.add(((long) r.group() << 32) | synapse)).isTrue();
        }
        r.finish();
        assertThat(decoded).isEqualTo(spikes);
    }

    @Test
    void fromInputsPacksPerSynapseTrains() {
        List<SparseNeuronInput> inputs = new ArrayList<>();
        inputs.add(SparseNeuronInput.newBuilder()
                .addSynapses(SynapseSpikes.newBuilder().setSynapse(7).addBins(1))
                .addSynapses(SynapseSpikes.newBuilder().setSynapse(3).addBins(1)).build());
        inputs.add(SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(5).addBins(0)).build());
        assertThat(SpikePacking.fromInputs(inputs, 2)).isEqualTo(new SpikePacking.Builder(2, 2).add(0, 1, 3).add(0, 1, 7).add(1, 0, 5).build());
    }

    @Test
    void malformedPackingIsRefusedNamingTheFieldTheNeuronAndTheBin() {
        PackedSpikes ok = new SpikePacking.Builder(2, 2).add(0, 1, 7).add(0, 1, 3).add(1, 0, 5).build();
        assertThatThrownBy(() -> SpikePacking.check(ok, 2, 3, 8, "step.packed")).isInstanceOf(DomainException.class)
                .hasMessageContaining("step.packed.counts has 4 entries, 2 neurons x 3 bins = 6 are needed");
        assertThatThrownBy(() -> SpikePacking.check(ok, 2, 2, 7, "step.packed"))
                .hasMessageContaining("step.packed: neuron 0, bin 1 has synapse 7 (spike 1) outside 0..6");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 0, 5), 2, 2, 8, "f"))
                .hasMessageContaining("f.synapse_deltas: spike 1 (neuron 0, bin 1) has delta 0: a bin's synapses must be ascending, each at most once");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 4, 5, 1), 2, 2, 8, "f"))
                .hasMessageContaining("f.synapse_deltas has 1 bytes left after the 3 varints the counts announce");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 4, 0x85), 2, 2, 8, "f"))
                .hasMessageContaining("f.synapse_deltas ends inside or before the varint of spike 2 (the counts announce 3)");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 4), 2, 2, 8, "f"))
                .hasMessageContaining("the counts add up to 3 spikes, synapse_deltas has only 2 bytes");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 2, 2, Integer.MAX_VALUE, "f"))
                .hasMessageContaining("f.synapse_deltas: the varint of spike 2 is longer than a uint32");
        assertThatThrownBy(() -> SpikePacking.check(ok.toBuilder().setCounts(0, -1).build(), 2, 2, 8, "f"))
                .as("a count past 2^31 as uint32").hasMessageContaining("the counts add up to 4294967298 spikes");
        assertThatThrownBy(() -> SpikePacking.check(withDeltas(ok, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 2, 2, Integer.MAX_VALUE, "f"))
                .as("the largest uint32 is a synapse no model has").hasMessageContaining("has synapse 4294967295");
        assertThatThrownBy(() -> SpikePacking.check(PackedSpikes.newBuilder().setSynapseDeltas(ByteString.copyFrom(new byte[]{1})).build(), 2, 2, 8, "f"))
                .hasMessageContaining("f.synapse_deltas has 1 bytes but counts has none");
        SpikePacking.check(ok, 2, 2, 8, "f");
        SpikePacking.check(PackedSpikes.getDefaultInstance(), 2, 2, 8, "f");
        assertThatThrownBy(() -> new SpikePacking.Builder(2, 2).add(0, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static PackedSpikes withDeltas(PackedSpikes p, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return p.toBuilder().setSynapseDeltas(ByteString.copyFrom(b)).build();
    }
}

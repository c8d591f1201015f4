package io.neurosurrogate.cli;

import com.google.protobuf.ByteString;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamStep;

import java.util.Collections;
import java.util.List;

/**
 * How a benchmark sends input spikes (stream steps and Predict): {@code packed} ({@link PackedSpikes},
 * what the clients send) or {@code inputs} (one SparseNeuronInput per neuron, a message per synapse), so
 * that the cost of the wire form can be measured.
 */
enum StreamWire {
    PACKED, INPUTS;

    /** A step of {@code ids} by {@code steps} bins with {@code inputs} (one per sequence, bins relative to the first). */
    StreamStep step(List<Long> ids, int steps, List<SparseNeuronInput> inputs) {
        StreamStep.Builder b = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps);
        return this == INPUTS ? b.addAllInputs(inputs).build() : b.setPacked(SpikePacking.fromInputs(inputs, steps)).build();
    }

    /** A step of {@code ids} by {@code steps} bins, every sequence getting the same input {@code one}. */
    StreamStep replicated(List<Long> ids, int steps, SparseNeuronInput one) {
        StreamStep.Builder b = StreamStep.newBuilder().addAllSequenceIds(ids).setSteps(steps);
        if (this == INPUTS) {
            return b.addAllInputs(Collections.nCopies(ids.size(), one)).build();
        }
        PackedSpikes all = replicated(ids.size(), steps, one);
        return SpikePacking.isEmpty(all) ? b.build() : b.setPacked(all).build();
    }

    /** A Predict request's input: {@code n} neurons over {@code bins} bins, each with the input {@code one}. */
    PredictRequest.Builder predictInput(PredictRequest.Builder request, int n, int bins, SparseNeuronInput one) {
        return this == INPUTS ? request.addAllSparse(Collections.nCopies(n, one)) : request.setPacked(replicated(n, bins, one));
    }

    /** {@code one}'s input for each of {@code n} neurons, packed. */
    private static PackedSpikes replicated(int n, int bins, SparseNeuronInput one) {
        PackedSpikes single = SpikePacking.fromInputs(List.of(one), bins);
        if (SpikePacking.isEmpty(single)) {
            return single;
        }
        PackedSpikes.Builder all = PackedSpikes.newBuilder();
        byte[] once = single.getSynapseDeltas().toByteArray();
        byte[] deltas = new byte[once.length * n];
        for (int i = 0; i < n; i++) {
            all.addAllCounts(single.getCountsList());
            System.arraycopy(once, 0, deltas, i * once.length, once.length);
        }
        return all.setSynapseDeltas(ByteString.copyFrom(deltas)).build();
    }

    /** Bytes on the wire per neuron and bin for {@code one}'s input over {@code bins} bins (sizes requests). */
    double bytesPerMs(SparseNeuronInput one, int bins) {
        int bytes = this == INPUTS ? one.getSerializedSize() : SpikePacking.fromInputs(List.of(one), bins).getSerializedSize();
        return (double) bytes / bins;
    }
}

package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamEnded;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStarted;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequences of one stream on one model version: per open sequence id, the state of every layer
 * of the step graph. A step request validates everything first, so a rejected request changes no
 * sequence; then it copies the named sequences' states into one batch, runs the step graph once per
 * bin for the whole batch, and copies the new states back. Not thread-safe: a stream's requests are
 * processed one at a time. The session holds a lease on its version until {@link #close()}.
 */
public final class StreamSession implements AutoCloseable {
    private final LoadedModel model;
    private final StepGraph graph;
    private final int maxSequences;
    private final int maxSteps;
    private final float threshold;
    /** Sequence id -> state per layer, each bins * channels floats, oldest bin first. */
    private final Map<Long, float[][]> sequences = new HashMap<>();
    /** Reused while consecutive steps advance the same number of sequences. */
    private StepBatch batch;
    /** sequences.size(), for readers on other threads (the open-sequences gauge). */
    private volatile int openSequences;
    private volatile long lastActiveNanos = System.nanoTime();
    private boolean closed;

    private StreamSession(LoadedModel model, int maxSequences, int maxSteps) {
        this.model = model;
        this.graph = model.stepGraph();
        this.maxSequences = maxSequences;
        this.maxSteps = maxSteps;
        this.threshold = (float) model.spikeThreshold();
    }

    /**
     * Leases {@code model} for a new stream.
     *
     * @throws DomainException FAILED_PRECONDITION when the version has no step graph; NOT_FOUND when it was unloaded
     */
    public static StreamSession open(LoadedModel model, int maxSequences, int maxStepsPerRequest) {
        if (!model.hasStepGraph()) {
            throw DomainException.failedPrecondition(model.label() + " has no step graph (model card step_graph_file is empty), "
                    + "so it cannot stream; use Predict, or retrain it to get one");
        }
        model.retain();
        return new StreamSession(model, maxSequences, maxStepsPerRequest);
    }

    public LoadedModel model() {
        return model;
    }

    public StreamOpened opened() {
        return StreamOpened.newBuilder()
                .setModelName(model.name())
                .setVersion(model.versionNumber())
                .setSynapses(model.synapses())
                .setSpikeThreshold(model.spikeThreshold())
                .setReceptiveFieldMs(model.card().getReceptiveFieldMs())
                .setMaxSequences(maxSequences)
                .build();
    }

    /** Safe to call from any thread. */
    public int openSequences() {
        return openSequences;
    }

    /** Marks the stream active now (idle eviction counts from the last request). */
    public void touch() {
        lastActiveNanos = System.nanoTime();
    }

    public long lastActiveNanos() {
        return lastActiveNanos;
    }

    /** Opens new sequences at zero state. */
    public StreamStarted start(StreamStart request) {
        List<Long> ids = request.getSequenceIdsList();
        checkDistinct(ids, "start");
        for (int i = 0; i < ids.size(); i++) {
            if (sequences.containsKey(ids.get(i))) {
                throw new DomainException(DomainException.Kind.ALREADY_EXISTS, "start: sequence_ids[" + i + "] = "
                        + Long.toUnsignedString(ids.get(i)) + " is already open");
            }
        }
        if (sequences.size() + ids.size() > maxSequences) {
            throw new DomainException(DomainException.Kind.RESOURCE_EXHAUSTED, "start: " + ids.size() + " new sequences on top of "
                    + sequences.size() + " open would exceed max_sequences = " + maxSequences
                    + " (ns.inference.stream.max-sequences); end some first");
        }
        for (long id : ids) {
            float[][] state = new float[graph.layers()][];
            for (int layer = 0; layer < state.length; layer++) {
                state[layer] = new float[graph.stateSize(layer)];
            }
            sequences.put(id, state);
        }
        openSequences = sequences.size();
        return StreamStarted.newBuilder().setOpenSequences(openSequences).build();
    }

    /** Forgets sequences. */
    public StreamEnded end(StreamEnd request) {
        List<Long> ids = request.getSequenceIdsList();
        checkDistinct(ids, "end");
        checkOpen(ids, "end");
        for (long id : ids) {
            sequences.remove(id);
        }
        openSequences = sequences.size();
        return StreamEnded.newBuilder().setOpenSequences(openSequences).build();
    }

    /** Advances the named sequences by {@code steps} bins. */
    public StreamStepResult step(StreamStep request) {
        List<Long> ids = request.getSequenceIdsList();
        int n = ids.size();
        int steps = request.getSteps();
        if (n == 0) {
            throw DomainException.invalid("step: sequence_ids is empty");
        }
        if (steps < 1 || steps > maxSteps) {
            throw DomainException.invalid("step: steps = " + steps + " outside 1.." + maxSteps
                    + " (ns.inference.stream.max-steps-per-request)");
        }
        if (request.getInputsCount() != 0 && request.getInputsCount() != n) {
            throw DomainException.invalid("step: " + request.getInputsCount() + " inputs for " + n
                    + " sequence_ids (give one per sequence, or none)");
        }
        checkDistinct(ids, "step");
        checkOpen(ids, "step");
        int[] binStart = new int[steps + 1];
        int[] positions = spikesByBin(request, steps, binStart);

        float[][][] states = new float[n][][];
        for (int i = 0; i < n; i++) {
            states[i] = sequences.get(ids.get(i));
        }
        StepBatch b = batchOf(n);
        for (int i = 0; i < n; i++) {
            for (int layer = 0; layer < states[i].length; layer++) {
                b.putState(layer, i, states[i][layer]);
            }
        }
        float[] spikeProb = new float[n * steps];
        float[] somaMv = new float[n * steps];
        model.withStepSession(() -> {
            for (int t = 0; t < steps; t++) {
                for (int p = binStart[t]; p < binStart[t + 1]; p++) {
                    b.setInput(positions[p], 1f);
                }
                b.step(spikeProb, somaMv, t, steps);
                for (int p = binStart[t]; p < binStart[t + 1]; p++) {
                    b.setInput(positions[p], 0f);
                }
            }
            return null;
        });
        for (int i = 0; i < n; i++) {
            for (int layer = 0; layer < states[i].length; layer++) {
                b.getState(layer, i, states[i][layer]);
            }
        }
        return result(ids, steps, spikeProb, somaMv, b.takeComputeMs());
    }

    /**
     * Counting sort of the request's spikes by bin: positions (row * synapses + synapse) of bin t are
     * {@code positions[binStart[t] .. binStart[t+1])}. Validates synapse indices and bins.
     */
    private int[] spikesByBin(StreamStep request, int steps, int[] binStart) {
        int synapses = model.synapses();
        int[] counts = new int[steps + 1];
        for (int i = 0; i < request.getInputsCount(); i++) {
            List<SynapseSpikes> inputs = request.getInputs(i).getSynapsesList();
            for (int j = 0; j < inputs.size(); j++) {
                SynapseSpikes s = inputs.get(j);
                if (s.getSynapse() < 0 || s.getSynapse() >= synapses) {
                    throw DomainException.invalid("step: inputs[" + i + "].synapses[" + j + "].synapse = " + s.getSynapse()
                            + " outside 0.." + (synapses - 1));
                }
                for (int k = 0; k < s.getBinsCount(); k++) {
                    int bin = s.getBins(k);
                    if (bin < 0 || bin >= steps) {
                        throw DomainException.invalid("step: inputs[" + i + "].synapses[" + j + "].bins[" + k + "] = " + bin
                                + " outside 0.." + (steps - 1));
                    }
                    counts[bin + 1]++;
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            binStart[t + 1] = binStart[t] + counts[t + 1];
        }
        int[] next = new int[steps];
        System.arraycopy(binStart, 0, next, 0, steps);
        int[] positions = new int[binStart[steps]];
        for (int i = 0; i < request.getInputsCount(); i++) {
            SparseNeuronInput in = request.getInputs(i);
            for (int j = 0; j < in.getSynapsesCount(); j++) {
                SynapseSpikes s = in.getSynapses(j);
                int position = i * synapses + s.getSynapse();
                for (int k = 0; k < s.getBinsCount(); k++) {
                    positions[next[s.getBins(k)]++] = position;
                }
            }
        }
        return positions;
    }

    private StreamStepResult result(List<Long> ids, int steps, float[] spikeProb, float[] somaMv, double computeMs) {
        StreamStepResult.Builder out = StreamStepResult.newBuilder()
                .addAllSequenceIds(ids)
                .setSteps(steps)
                .setComputeMs(computeMs);
        for (int i = 0; i < spikeProb.length; i++) {
            out.addSpikeProb(spikeProb[i]);
            out.addSomaMv(somaMv[i]);
        }
        for (int i = 0; i < ids.size(); i++) {
            int count = 0;
            for (int t = 0; t < steps; t++) {
                if (spikeProb[i * steps + t] >= threshold) {
                    out.addSpikeSteps(t);
                    count++;
                }
            }
            out.addSpikeCounts(count);
        }
        return out.build();
    }

    private StepBatch batchOf(int n) {
        if (batch == null || batch.batch() != n) {
            if (batch != null) {
                batch.close();
                batch = null;
            }
            batch = new StepBatch(model, n);
        }
        return batch;
    }

    private static void checkDistinct(List<Long> ids, String what) {
        Set<Long> seen = new HashSet<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            if (!seen.add(ids.get(i))) {
                throw DomainException.invalid(what + ": sequence_ids[" + i + "] = " + Long.toUnsignedString(ids.get(i))
                        + " is repeated in this request");
            }
        }
    }

    private void checkOpen(List<Long> ids, String what) {
        for (int i = 0; i < ids.size(); i++) {
            if (!sequences.containsKey(ids.get(i))) {
                throw DomainException.notFound(what + ": sequence_ids[" + i + "] = " + Long.toUnsignedString(ids.get(i))
                        + " is not open (start it first)");
            }
        }
    }

    /** Forgets every sequence and releases the version. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sequences.clear();
        openSequences = 0;
        if (batch != null) {
            batch.close();
            batch = null;
        }
        model.release();
    }
}

package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.SortedInts;
import io.neurosurrogate.core.inference.EventInputLayer;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.proto.v1.PackedSpikes;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnd;
import io.neurosurrogate.proto.v1.StreamEnded;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamStart;
import io.neurosurrogate.proto.v1.StreamStarted;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequences of one stream on one model version: per open sequence id, the state of every layer
 * of the step graph. A step request validates everything first, so a rejected request changes no
 * sequence; then, chunk by chunk of at most rows-per-run sequences, it copies their states into one batch,
 * runs the step graph once per bin for the whole batch, and copies the new states back. Not thread-safe: a stream's requests are
 * processed one at a time. The session holds a lease on its version until {@link #close()}.
 */
public final class StreamSession implements AutoCloseable {
    /**
     * Default of ns.inference.stream.rows-per-run. On the 2-core EPYC of BENCHMARKS.md (session 12) the nmda 7x128
     * model's streams ran ~25 % (int8) and ~5-10 % (float) more neuron-ms/s in runs of 64 rows than in runs of 256:
     * a run's states and activations then stay in cache from layer to layer.
     */
    public static final int DEFAULT_ROWS_PER_RUN = 64;
    private final LoadedModel model;
    /** The step graph, or the events graph's tail in an event-driven stream. */
    private final StepGraph graph;
    /** The event-driven first layer; null when the step graph computes it densely. */
    private final EventInputLayer layer;
    private final StreamPrecision precision;
    private final int maxSequences;
    private final int maxSteps;
    /**
     * Rows (sequences) per ONNX Runtime run: a step request of more sequences runs in chunks of this many. A graph
     * without convolution state (the events graph of a one-layer model) runs a whole request at once: it has no
     * state to keep in cache, and chunks would only add runs (measured: ampa 1x128 int8 ~10 % slower in runs of 64).
     */
    private final int rowsPerRun;
    private final float threshold;
    private final Map<Long, Sequence> sequences = new HashMap<>();
    /**
     * Reused while consecutive steps advance chunks of the same sizes: [0] holds a full chunk of
     * {@link #rowsPerRun} rows, [1] one of any other size (the last chunk, or a smaller request).
     */
    private final StepBatch[] batches = new StepBatch[2];
    /** sequences.size(), for readers on other threads (the open-sequences gauge). */
    private volatile int openSequences;
    private volatile long lastActiveNanos = System.nanoTime();
    private boolean closed;

    /**
     * One open sequence: the state of every layer of the graph (bins * channels floats each, oldest
     * bin first) and, when event-driven, the first layer's ring of future pre-activations.
     */
    private static final class Sequence {
        final float[][] states;
        final float[] ring;
        int position;

        Sequence(StepGraph graph, EventInputLayer layer) {
            states = new float[graph.layers()][];
            for (int i = 0; i < states.length; i++) {
                states[i] = new float[graph.stateSize(i)];
            }
            ring = layer == null ? null : new float[layer.ringFloats()];
        }
    }

    private StreamSession(LoadedModel model, int maxSequences, int maxSteps, int rowsPerRun, boolean chunkStateless, boolean eventDriven,
                          StreamPrecision precision) {
        this.model = model;
        this.precision = precision;
        EventGraph events = precision == StreamPrecision.INT8 ? model.int8EventGraph() : model.eventGraph();
        this.graph = eventDriven ? events.tail() : precision == StreamPrecision.INT8 ? model.int8StepGraph() : model.stepGraph();
        this.layer = eventDriven ? events.layer() : null;
        this.rowsPerRun = graph.layers() > 0 || chunkStateless ? rowsPerRun : Integer.MAX_VALUE;
        this.maxSequences = maxSequences;
        this.maxSteps = maxSteps;
        this.threshold = (float) model.spikeThreshold();
    }

    /**
     * Leases {@code model} for a new stream.
     *
     * @throws DomainException FAILED_PRECONDITION when the version has no step graph (with {@code eventDriven}:
     *                         no events graph); NOT_FOUND when it was unloaded
     */
    public static StreamSession open(LoadedModel model, int maxSequences, int maxStepsPerRequest, boolean eventDriven) {
        return open(model, maxSequences, maxStepsPerRequest, eventDriven, StreamPrecision.FP32);
    }

    /**
     * Leases {@code model} for a new stream computed in {@code precision}.
     *
     * @throws DomainException FAILED_PRECONDITION when the version lacks the graph asked for (step, events, int8 form)
     */
    public static StreamSession open(LoadedModel model, int maxSequences, int maxStepsPerRequest, boolean eventDriven, StreamPrecision precision) {
        return open(model, maxSequences, maxStepsPerRequest, DEFAULT_ROWS_PER_RUN, eventDriven, precision);
    }

    /**
     * As {@link #open(LoadedModel, int, int, boolean, StreamPrecision)}, running at most {@code rowsPerRun}
     * sequences per ONNX Runtime run (ns.inference.stream.rows-per-run) when the graph keeps state.
     */
    public static StreamSession open(LoadedModel model, int maxSequences, int maxStepsPerRequest, int rowsPerRun, boolean eventDriven,
                                     StreamPrecision precision) {
        return open(model, maxSequences, maxStepsPerRequest, rowsPerRun, false, eventDriven, precision);
    }

    /** As above; {@code chunkStateless} chunks a stateless graph's requests too (tests of the chunking). */
    static StreamSession open(LoadedModel model, int maxSequences, int maxStepsPerRequest, int rowsPerRun, boolean chunkStateless,
                              boolean eventDriven, StreamPrecision precision) {
        if (rowsPerRun < 1) {
            throw new IllegalArgumentException("rows per run must be >= 1, not " + rowsPerRun);
        }
        if (!model.hasStepGraph()) {
            throw DomainException.failedPrecondition(model.label() + " has no step graph (model card step_graph_file is empty), "
                    + "so it cannot stream; use Predict, or retrain it to get one");
        }
        if (eventDriven && !model.hasEventGraph()) {
            throw DomainException.failedPrecondition(model.label() + " has no events graph (model card events_graph_file is empty), "
                    + "so it cannot stream event-driven; open the stream without event_driven, or retrain it to get one");
        }
        if (precision == StreamPrecision.INT8 && !model.hasInt8(eventDriven)) {
            throw DomainException.failedPrecondition(model.label() + " has no int8 form of its " + (eventDriven ? "events" : "step")
                    + " graph (it has no conv layer to quantise, only heads); open the stream with precision fp32");
        }
        model.retain();
        return new StreamSession(model, maxSequences, maxStepsPerRequest, rowsPerRun, chunkStateless, eventDriven, precision);
    }

    /** Rows per ONNX Runtime run (Integer.MAX_VALUE: a whole request at once). */
    int rowsPerRun() {
        return rowsPerRun;
    }

    /** Whether the first layer runs event by event. */
    public boolean eventDriven() {
        return layer != null;
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
                .setEventDriven(layer != null)
                .setPrecision(precision.label())
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
            sequences.put(id, new Sequence(graph, layer));
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
        if (request.getInputsCount() != 0 && request.hasPacked()) {
            throw DomainException.invalid("step: give the input spikes as inputs or as packed, not both");
        }
        if (request.getInputsCount() != 0 && request.getInputsCount() != n) {
            throw DomainException.invalid("step: " + request.getInputsCount() + " inputs for " + n
                    + " sequence_ids (give one per sequence, or none)");
        }
        checkDistinct(ids, "step");
        checkOpen(ids, "step");
        int[] binStart = new int[steps + 1];
        int[] positions = request.hasPacked() ? packedByBin(request.getPacked(), n, steps, binStart) : spikesByBin(request, steps, binStart);

        Sequence[] seqs = new Sequence[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = sequences.get(ids.get(i));
        }
        float[] spikeProb = new float[n * steps];
        float[] somaMv = new float[n * steps];
        float[] nexusMv = graph.dendriteOutputName() == null ? null : new float[n * steps];
        int synapses = model.synapses();
        double computeMs = 0;
        int[] from = Arrays.copyOf(binStart, steps);
        // Sequences are independent: each chunk of rows runs every bin of the request, then the next chunk.
        for (int first = 0; first < n; first += rowsPerRun) {
            int rows = Math.min(rowsPerRun, n - first);
            StepBatch b = batchOf(rows);
            for (int i = 0; i < rows; i++) {
                for (int l = 0; l < seqs[first + i].states.length; l++) {
                    b.putState(l, i, seqs[first + i].states[l]);
                }
            }
            // This chunk's spikes in bin t: positions[from[t] .. to[t]) (a bin's positions are ordered by row);
            // the next chunk's start where this one ends.
            int[] to = new int[steps];
            for (int t = 0; t < steps; t++) {
                to[t] = SortedInts.firstAtOrAbove(positions, from[t], binStart[t + 1], (first + rows) * synapses);
            }
            Chunk chunk = new Chunk(b, first, rows, steps, from, to);
            model.withStepSession(() -> {
                if (layer == null) {
                    denseSteps(chunk, positions, synapses, spikeProb, somaMv, nexusMv);
                } else {
                    eventSteps(chunk, seqs, positions, spikeProb, somaMv, nexusMv);
                }
                return null;
            });
            for (int i = 0; i < rows; i++) {
                for (int l = 0; l < seqs[first + i].states.length; l++) {
                    b.getState(l, i, seqs[first + i].states[l]);
                }
            }
            computeMs += b.takeComputeMs();
            from = to;
        }
        return result(ids, steps, spikeProb, somaMv, nexusMv, computeMs);
    }

    /** Rows {@code first .. first+rows) of a step request in one batch; their spikes of bin t are positions[from[t] .. to[t]). */
    private record Chunk(StepBatch batch, int first, int rows, int steps, int[] from, int[] to) {
        /** Where row {@code row} of the batch writes bin t: out[(first + row) * steps + t]. */
        int offset(int t) {
            return first * steps + t;
        }
    }

    /** The step graph reads every synapse of every row per bin: set this bin's spikes, step, clear them. */
    private static void denseSteps(Chunk c, int[] positions, int synapses, float[] spikeProb, float[] somaMv, float[] nexusMv) {
        StepBatch b = c.batch();
        int base = c.first() * synapses;
        for (int t = 0; t < c.steps(); t++) {
            for (int p = c.from()[t]; p < c.to()[t]; p++) {
                b.setInput(positions[p] - base, 1f);
            }
            b.step(spikeProb, somaMv, nexusMv, c.offset(t), c.steps());
            for (int p = c.from()[t]; p < c.to()[t]; p++) {
                b.setInput(positions[p] - base, 0f);
            }
        }
    }

    /**
     * Event-driven: each of this bin's spikes adds its kernel to its sequence's ring, each sequence
     * emits this bin's first-layer output into the batch, and the events graph does the rest. A
     * sequence's ring changes in place; a failure here ends the stream (StreamCall), so no half-advanced
     * sequence is used again.
     */
    private void eventSteps(Chunk c, Sequence[] seqs, int[] positions, float[] spikeProb, float[] somaMv, float[] nexusMv) {
        StepBatch b = c.batch();
        int synapses = model.synapses();
        float[] features = new float[layer.channels()];
        for (int t = 0; t < c.steps(); t++) {
            long start = System.nanoTime();
            // a bin's positions are ordered by row (spikesByBin, packedByBin): each row's spikes are one run
            int p = c.from()[t];
            int end = c.to()[t];
            for (int row = 0; row < c.rows(); row++) {
                int base = (c.first() + row) * synapses;
                int from = p;
                while (p < end && positions[p] < base + synapses) {
                    p++;
                }
                Sequence q = seqs[c.first() + row];
                q.position = layer.addAndEmit(q.ring, 0, q.position, positions, from, p, base, features, 0);
                b.putInputRow(row, features);
            }
            b.addComputeNanos(System.nanoTime() - start);
            b.step(spikeProb, somaMv, nexusMv, c.offset(t), c.steps());
        }
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

    /**
     * The packed input in the same bin-major order as {@link #spikesByBin}, read in one pass: the packed
     * form is grouped by [sequence][bin], so each group's place among bin t's positions is known from
     * the counts alone (bin t holds sequence 0's group t, then sequence 1's, ...), no sort needed.
     */
    private int[] packedByBin(PackedSpikes packed, int n, int steps, int[] binStart) {
        int synapses = model.synapses();
        SpikePacking.Reader reader = new SpikePacking.Reader(packed, n, steps, synapses, "step.packed");
        int[] positions = new int[Math.toIntExact(reader.spikes())];
        if (packed.getCountsCount() == 0) {
            return positions;
        }
        // dest[g]: where group g = row * steps + t starts in positions
        int[] dest = new int[n * steps];
        int[] perBin = new int[steps];
        for (int row = 0; row < n; row++) {
            for (int t = 0; t < steps; t++) {
                perBin[t] += packed.getCounts(row * steps + t);
            }
        }
        for (int t = 0; t < steps; t++) {
            binStart[t + 1] = binStart[t] + perBin[t];
            perBin[t] = binStart[t];
        }
        for (int row = 0; row < n; row++) {
            for (int t = 0; t < steps; t++) {
                dest[row * steps + t] = perBin[t];
                perBin[t] += packed.getCounts(row * steps + t);
            }
        }
        for (int g = 0; g < dest.length; g++) {
            int base = (g / steps) * synapses;
            int at = dest[g];
            for (int c = packed.getCounts(g); c > 0; c--) {
                positions[at++] = base + reader.next();
            }
        }
        reader.finish();
        return positions;
    }

    private StreamStepResult result(List<Long> ids, int steps, float[] spikeProb, float[] somaMv, float[] nexusMv, double computeMs) {
        StreamStepResult.Builder out = StreamStepResult.newBuilder()
                .addAllSequenceIds(ids)
                .setSteps(steps)
                .setComputeMs(computeMs);
        for (int i = 0; i < spikeProb.length; i++) {
            out.addSpikeProb(spikeProb[i]);
            out.addSomaMv(somaMv[i]);
        }
        if (nexusMv != null) {
            for (float v : nexusMv) {
                out.addNexusMv(v);
            }
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

    private StepBatch batchOf(int rows) {
        int slot = rows == rowsPerRun ? 0 : 1;
        if (batches[slot] == null || batches[slot].batch() != rows) {
            if (batches[slot] != null) {
                batches[slot].close();
                batches[slot] = null;
            }
            batches[slot] = new StepBatch(model, graph, rows);
        }
        return batches[slot];
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
        for (int i = 0; i < batches.length; i++) {
            if (batches[i] != null) {
                batches[i].close();
                batches[i] = null;
            }
        }
        model.release();
    }
}

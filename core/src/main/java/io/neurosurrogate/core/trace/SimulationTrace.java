package io.neurosurrogate.core.trace;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.SortedInts;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.neurosurrogate.proto.v1.TraceChunk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One whole simulation in memory: input spikes per synapse (1 ms bins), soma voltage per 1 ms bin,
 * output spike times. Splits into and assembles from the {@link TraceChunk}s that travel on Kafka.
 */
public final class SimulationTrace {
    private final SimulationMetadata meta;
    private final int[][] spikeBins;      // [synapse] -> sorted absolute bins
    private final float[] somaMv;         // [durationMs]
    private final double[] outputSpikeTimesMs;
    private final float[] nexusMv;        // [durationMs] or null

    public SimulationTrace(SimulationMetadata meta, int[][] spikeBins, float[] somaMv, double[] outputSpikeTimesMs) {
        this(meta, spikeBins, somaMv, outputSpikeTimesMs, null);
    }

    /** @param nexusMv voltage at the apical nexus per 1 ms bin, or null when the model has none */
    public SimulationTrace(SimulationMetadata meta, int[][] spikeBins, float[] somaMv, double[] outputSpikeTimesMs, float[] nexusMv) {
        int synapses = meta.getNExc() + meta.getNInh();
        if (spikeBins.length != synapses) {
            throw DomainException.invalid("expected " + synapses + " synapses, got " + spikeBins.length);
        }
        if (somaMv.length != meta.getDurationMs()) {
            throw DomainException.invalid("expected " + meta.getDurationMs() + " voltage bins, got " + somaMv.length);
        }
        if (nexusMv != null && nexusMv.length != somaMv.length) {
            throw DomainException.invalid("expected " + somaMv.length + " nexus voltage bins, got " + nexusMv.length);
        }
        this.meta = meta;
        this.spikeBins = spikeBins;
        this.somaMv = somaMv;
        this.outputSpikeTimesMs = outputSpikeTimesMs;
        this.nexusMv = nexusMv;
    }

    /** Apical nexus voltage per 1 ms bin, or null when the model records none (not copied). */
    public float[] nexusMv() {
        return nexusMv;
    }

    public SimulationMetadata meta() {
        return meta;
    }

    public int synapses() {
        return spikeBins.length;
    }

    public int durationMs() {
        return somaMv.length;
    }

    /** Sorted absolute bins of one synapse (not copied: do not modify). */
    public int[] spikeBins(int synapse) {
        return spikeBins[synapse];
    }

    /** Soma voltage per 1 ms bin (not copied: do not modify). */
    public float[] somaMv() {
        return somaMv;
    }

    public double[] outputSpikeTimesMs() {
        return outputSpikeTimesMs;
    }

    /** Spike label per 1 ms bin: true where an output spike falls in [bin, bin + 1). */
    public boolean[] spikeLabels() {
        boolean[] labels = new boolean[somaMv.length];
        for (double t : outputSpikeTimesMs) {
            int bin = (int) Math.floor(t / meta.getDtMs());
            if (bin >= 0 && bin < labels.length) {
                labels[bin] = true;
            }
        }
        return labels;
    }

    /** Soma voltage with spikes removed: clipped from above at {@code clipMv} (the paper clips at -55 mV). */
    public float[] clippedSomaMv(double clipMv) {
        float[] out = new float[somaMv.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.min(somaMv[i], clipMv);
        }
        return out;
    }

    /**
     * Dense input, row-major [synapse][time] for bins [startMs, startMs + lengthMs), 0 or 1.
     * Written into {@code out} at {@code offset}; bins outside the simulation stay 0.
     */
    public void denseInput(int startMs, int lengthMs, float[] out, int offset) {
        Arrays.fill(out, offset, offset + spikeBins.length * lengthMs, 0f);
        for (int s = 0; s < spikeBins.length; s++) {
            int[] bins = spikeBins[s];
            int from = lowerBound(bins, startMs);
            int base = offset + s * lengthMs;
            for (int i = from; i < bins.length && bins[i] < startMs + lengthMs; i++) {
                out[base + bins[i] - startMs] = 1f;
            }
        }
    }

    public float[] denseInput(int startMs, int lengthMs) {
        float[] out = new float[spikeBins.length * lengthMs];
        denseInput(startMs, lengthMs, out, 0);
        return out;
    }

    /** Total number of input spikes. */
    public long inputSpikeCount() {
        long n = 0;
        for (int[] b : spikeBins) {
            n += b.length;
        }
        return n;
    }

    /** Splits into chunks of {@code chunkMs} bins (the last may be shorter). */
    public List<TraceChunk> toChunks(int chunkMs) {
        if (chunkMs <= 0) {
            throw DomainException.invalid("chunk length must be positive, got " + chunkMs);
        }
        int duration = somaMv.length;
        int count = Math.max(1, (duration + chunkMs - 1) / chunkMs);
        List<TraceChunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int start = c * chunkMs;
            int end = Math.min(duration, start + chunkMs);
            TraceChunk.Builder b = TraceChunk.newBuilder()
                    .setMeta(meta).setChunkIndex(c).setChunkCount(count)
                    .setStartMs(start).setLengthMs(end - start);
            for (int s = 0; s < spikeBins.length; s++) {
                int[] bins = spikeBins[s];
                int from = lowerBound(bins, start);
                int to = lowerBound(bins, end);
                if (to > from) {
                    SynapseSpikes.Builder sb = SynapseSpikes.newBuilder().setSynapse(s);
                    for (int i = from; i < to; i++) {
                        sb.addBins(bins[i]);
                    }
                    b.addInputSpikes(sb);
                }
            }
            for (int i = start; i < end; i++) {
                b.addSomaMv(somaMv[i]);
            }
            if (nexusMv != null) {
                for (int i = start; i < end; i++) {
                    b.addNexusMv(nexusMv[i]);
                }
            }
            for (double t : outputSpikeTimesMs) {
                if (t >= start && t < end) {
                    b.addOutputSpikeTimesMs(t);
                }
            }
            chunks.add(b.build());
        }
        return chunks;
    }

    /**
     * Reassembles a simulation from all of its chunks, in any order. Rejects missing, duplicate or
     * inconsistent chunks with a message naming the problem.
     */
    public static SimulationTrace fromChunks(List<TraceChunk> chunks) {
        if (chunks.isEmpty()) {
            throw DomainException.invalid("no chunks");
        }
        List<TraceChunk> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparingInt(TraceChunk::getChunkIndex));
        SimulationMetadata meta = sorted.get(0).getMeta();
        int count = sorted.get(0).getChunkCount();
        if (sorted.size() != count) {
            throw DomainException.invalid("simulation " + meta.getSimulationId() + ": have " + sorted.size() + " of " + count + " chunks");
        }
        int synapses = meta.getNExc() + meta.getNInh();
        int duration = meta.getDurationMs();
        float[] soma = new float[duration];
        boolean hasNexus = sorted.get(0).getNexusMvCount() > 0;
        float[] nexus = hasNexus ? new float[duration] : null;
        int[] counts = new int[synapses];
        List<Double> outTimes = new ArrayList<>();
        int expectedStart = 0;
        for (int c = 0; c < count; c++) {
            TraceChunk ch = sorted.get(c);
            if (ch.getChunkIndex() != c || !ch.getMeta().getSimulationId().equals(meta.getSimulationId())) {
                throw DomainException.invalid("simulation " + meta.getSimulationId() + ": chunk " + c + " missing or foreign");
            }
            if (ch.getStartMs() != expectedStart || ch.getSomaMvCount() != ch.getLengthMs()) {
                throw DomainException.invalid("simulation " + meta.getSimulationId() + ": chunk " + c + " has inconsistent bounds");
            }
            expectedStart += ch.getLengthMs();
            if (expectedStart > duration) {
                throw DomainException.invalid("simulation " + meta.getSimulationId() + ": chunks exceed duration " + duration);
            }
            for (int i = 0; i < ch.getLengthMs(); i++) {
                soma[ch.getStartMs() + i] = ch.getSomaMv(i);
            }
            if (ch.getNexusMvCount() != (hasNexus ? ch.getLengthMs() : 0)) {
                throw DomainException.invalid("simulation " + meta.getSimulationId() + ": chunk " + c + " has "
                        + ch.getNexusMvCount() + " nexus voltages for " + ch.getLengthMs() + " bins");
            }
            for (int i = 0; hasNexus && i < ch.getLengthMs(); i++) {
                nexus[ch.getStartMs() + i] = ch.getNexusMv(i);
            }
            for (SynapseSpikes ss : ch.getInputSpikesList()) {
                if (ss.getSynapse() < 0 || ss.getSynapse() >= synapses) {
                    throw DomainException.invalid("simulation " + meta.getSimulationId() + ": synapse index " + ss.getSynapse() + " out of range");
                }
                counts[ss.getSynapse()] += ss.getBinsCount();
            }
            outTimes.addAll(ch.getOutputSpikeTimesMsList());
        }
        if (expectedStart != duration) {
            throw DomainException.invalid("simulation " + meta.getSimulationId() + ": chunks cover " + expectedStart + " of " + duration + " ms");
        }
        int[][] bins = new int[synapses][];
        int[] fill = new int[synapses];
        for (int s = 0; s < synapses; s++) {
            bins[s] = new int[counts[s]];
        }
        for (TraceChunk ch : sorted) {
            for (SynapseSpikes ss : ch.getInputSpikesList()) {
                int s = ss.getSynapse();
                for (int i = 0; i < ss.getBinsCount(); i++) {
                    bins[s][fill[s]++] = ss.getBins(i);
                }
            }
        }
        for (int[] b : bins) {
            Arrays.sort(b);
        }
        double[] out = new double[outTimes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = outTimes.get(i);
        }
        Arrays.sort(out);
        return new SimulationTrace(meta, bins, soma, out, nexus);
    }

    private static int lowerBound(int[] sorted, int key) {
        return SortedInts.firstAtOrAbove(sorted, 0, sorted.length, key);
    }
}

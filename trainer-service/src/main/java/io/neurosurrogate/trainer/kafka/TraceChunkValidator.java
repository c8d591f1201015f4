package io.neurosurrogate.trainer.kafka;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import io.neurosurrogate.proto.v1.TraceChunk;
import io.neurosurrogate.trainer.store.StoreNames;

/**
 * Decides whether a {@link TraceChunk} from {@code ns.traces.v1} may enter the dataset. A chunk that
 * fails here could never be assembled into a simulation, so it is dead-lettered instead of stored.
 */
public final class TraceChunkValidator {
    /** Far above any real simulation (6 s in 1 s chunks); bounds the per-simulation index. */
    static final int MAX_CHUNK_COUNT = 100_000;

    private TraceChunkValidator() {
    }

    /** @throws DomainException INVALID_ARGUMENT with the first problem found */
    public static void validate(String key, TraceChunk chunk) {
        if (!chunk.hasMeta()) {
            throw DomainException.invalid("chunk has no meta");
        }
        SimulationMetadata meta = chunk.getMeta();
        String sim = meta.getSimulationId();
        if (sim.isEmpty()) {
            throw DomainException.invalid("meta.simulation_id is empty");
        }
        if (!sim.equals(key)) {
            throw DomainException.invalid("record key '" + key + "' differs from meta.simulation_id '" + sim + "'");
        }
        StoreNames.requireSafe("meta.simulation_id", sim);
        StoreNames.requireNeuronModel("meta.neuron_model", meta.getNeuronModel());
        if (chunk.getChunkCount() < 1 || chunk.getChunkCount() > MAX_CHUNK_COUNT) {
            throw DomainException.invalid("chunk_count " + chunk.getChunkCount() + " outside [1, " + MAX_CHUNK_COUNT + "]");
        }
        if (chunk.getChunkIndex() < 0 || chunk.getChunkIndex() >= chunk.getChunkCount()) {
            throw DomainException.invalid("chunk_index " + chunk.getChunkIndex() + " outside [0, " + chunk.getChunkCount() + ")");
        }
        if (chunk.getSomaMvCount() != chunk.getLengthMs()) {
            throw DomainException.invalid("soma_mv has " + chunk.getSomaMvCount() + " values, length_ms is " + chunk.getLengthMs());
        }
        int start = chunk.getStartMs();
        long end = (long) start + chunk.getLengthMs();
        if (start < 0 || chunk.getLengthMs() <= 0 || end > meta.getDurationMs()) {
            throw DomainException.invalid("chunk [" + start + ", " + end + ") ms lies outside the simulation's [0, " + meta.getDurationMs() + ") ms");
        }
        int synapses = meta.getNExc() + meta.getNInh();
        if (meta.getNExc() < 0 || meta.getNInh() < 0 || synapses <= 0) {
            throw DomainException.invalid("n_exc + n_inh must be > 0, got n_exc=" + meta.getNExc() + ", n_inh=" + meta.getNInh());
        }
        for (SynapseSpikes s : chunk.getInputSpikesList()) {
            if (s.getSynapse() < 0 || s.getSynapse() >= synapses) {
                throw DomainException.invalid("input synapse index " + s.getSynapse() + " outside [0, " + synapses + ")");
            }
            for (int i = 0; i < s.getBinsCount(); i++) {
                int bin = s.getBins(i);
                if (bin < start || bin >= end) {
                    throw DomainException.invalid("synapse " + s.getSynapse() + ": spike bin " + bin + " outside the chunk [" + start + ", " + end + ")");
                }
            }
        }
        for (int i = 0; i < chunk.getOutputSpikeTimesMsCount(); i++) {
            double t = chunk.getOutputSpikeTimesMs(i);
            if (!(t >= start && t < end)) {
                throw DomainException.invalid("output spike time " + t + " ms outside the chunk [" + start + ", " + end + ")");
            }
        }
    }
}

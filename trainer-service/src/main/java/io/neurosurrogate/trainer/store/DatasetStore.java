package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.TraceChunk;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durable dataset: {@code <root>/<neuron_model>/<simulation_id>/chunk-<index>.pb}, one file per
 * {@link TraceChunk} exactly as it came from Kafka. Storing is idempotent per chunk, so a redelivery
 * after a crash changes nothing. An in-memory index (rebuilt by scanning at startup) knows which
 * simulations are complete, i.e. hold all {@code chunk_count} chunks.
 * Thread-safe: the ingestion thread writes while jobs and gRPC calls read.
 */
public final class DatasetStore {
    private static final Logger LOG = Logger.getLogger(DatasetStore.class);
    private static final Pattern CHUNK_FILE = Pattern.compile("chunk-(\\d{1,9})\\.pb");

    /** Whether {@link #store} wrote the chunk or found it already there. */
    public enum StoreResult { STORED, ALREADY_PRESENT }

    private final Path root;
    /** neuron model -> simulation id -> entry; guarded by {@code this}. */
    private final Map<String, Map<String, SimulationEntry>> index = new HashMap<>();
    /** Serialises writers, so two writers of one chunk cannot both write it. */
    private final Object writeLock = new Object();

    private DatasetStore(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) the store under {@code root} and indexes what is already there. */
    public static DatasetStore open(Path root) throws IOException {
        DurableFiles.createDirectoriesDurably(root);
        DatasetStore store = new DatasetStore(root);
        store.scan();
        return store;
    }

    public Path root() {
        return root;
    }

    /**
     * Makes the chunk durable, unless it is already stored.
     *
     * @throws DomainException INVALID_ARGUMENT when the chunk contradicts chunks already stored for
     *                         its simulation (another chunk count or campaign) or names an unsafe path
     * @throws IOException     when the disk fails; nothing is recorded in the index then
     */
    public StoreResult store(TraceChunk chunk) throws IOException {
        String model = StoreNames.requireNeuronModel("neuron_model", chunk.getMeta().getNeuronModel());
        String simulation = StoreNames.requireSafe("simulation_id", chunk.getMeta().getSimulationId());
        synchronized (writeLock) {
            SimulationEntry existing = entry(model, simulation);
            if (existing != null) {
                existing.requireConsistent(chunk);
                if (existing.has(chunk.getChunkIndex())) {
                    return StoreResult.ALREADY_PRESENT;
                }
            }
            Path dir = root.resolve(model).resolve(simulation);
            DurableFiles.createDirectoriesDurably(dir);
            byte[] bytes = chunk.toByteArray();
            DurableFiles.writeAtomically(dir.resolve(chunkFileName(chunk.getChunkIndex())), bytes);
            synchronized (this) {
                SimulationEntry e = index.computeIfAbsent(model, m -> new TreeMap<>())
                        .computeIfAbsent(simulation, s -> new SimulationEntry(chunk.getMeta().getCampaignId(), chunk.getChunkCount()));
                e.add(chunk.getChunkIndex(), bytes.length);
            }
            return StoreResult.STORED;
        }
    }

    /** Ids of the complete simulations of a neuron model (optionally one campaign), sorted. */
    public synchronized List<String> completeSimulations(String neuronModel, String campaignId) {
        List<String> out = new ArrayList<>();
        Map<String, SimulationEntry> sims = index.get(neuronModel);
        if (sims == null) {
            return out;
        }
        for (Map.Entry<String, SimulationEntry> e : sims.entrySet()) {
            if (e.getValue().complete() && e.getValue().inCampaign(campaignId)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    public synchronized DatasetInfo info(String neuronModel, String campaignId) {
        DatasetInfo.Builder info = DatasetInfo.newBuilder().setNeuronModel(neuronModel).setCampaignId(campaignId);
        Map<String, SimulationEntry> sims = index.get(neuronModel);
        if (sims == null) {
            return info.build();
        }
        int complete = 0;
        int incomplete = 0;
        long chunks = 0;
        long bytes = 0;
        for (SimulationEntry e : sims.values()) {
            if (!e.inCampaign(campaignId)) {
                continue;
            }
            if (e.complete()) {
                complete++;
            } else {
                incomplete++;
            }
            chunks += e.presentCount();
            bytes += e.bytes();
        }
        return info.setCompleteSimulations(complete).setIncompleteSimulations(incomplete).setChunks(chunks).setBytes(bytes).build();
    }

    /** Whether this chunk is durable in the store. */
    public synchronized boolean contains(String neuronModel, String simulationId, int chunkIndex) {
        SimulationEntry e = entry(neuronModel, simulationId);
        return e != null && e.has(chunkIndex);
    }

    /**
     * Reads a complete simulation back from its chunks.
     *
     * @throws DomainException NOT_FOUND when the simulation is unknown or not complete yet
     */
    public SimulationTrace load(String neuronModel, String simulationId) throws IOException {
        int count;
        synchronized (this) {
            SimulationEntry e = entry(neuronModel, simulationId);
            if (e == null || !e.complete()) {
                throw DomainException.notFound("no complete simulation '" + simulationId + "' of neuron model '" + neuronModel + "'");
            }
            count = e.chunkCount();
        }
        Path dir = root.resolve(neuronModel).resolve(simulationId);
        List<TraceChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(TraceChunk.parseFrom(Files.readAllBytes(dir.resolve(chunkFileName(i)))));
        }
        return SimulationTrace.fromChunks(chunks);
    }

    /** The metadata of a complete simulation, from its first chunk only (training reads the rest on demand). */
    public io.neurosurrogate.proto.v1.SimulationMetadata loadMetadata(String neuronModel, String simulationId) throws IOException {
        synchronized (this) {
            SimulationEntry e = entry(neuronModel, simulationId);
            if (e == null || !e.complete()) {
                throw DomainException.notFound("no complete simulation '" + simulationId + "' of neuron model '" + neuronModel + "'");
            }
        }
        Path file = root.resolve(neuronModel).resolve(simulationId).resolve(chunkFileName(0));
        return TraceChunk.parseFrom(Files.readAllBytes(file)).getMeta();
    }

    private SimulationEntry entry(String neuronModel, String simulationId) {
        synchronized (this) {
            Map<String, SimulationEntry> sims = index.get(neuronModel);
            return sims == null ? null : sims.get(simulationId);
        }
    }

    static String chunkFileName(int index) {
        return "chunk-" + index + ".pb";
    }

    /** Rebuilds the index from the directory tree; removes temp files of interrupted writes. */
    private void scan() throws IOException {
        int simulations = 0;
        try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path modelDir : models) {
                try (DirectoryStream<Path> sims = Files.newDirectoryStream(modelDir, Files::isDirectory)) {
                    for (Path simDir : sims) {
                        if (scanSimulation(modelDir.getFileName().toString(), simDir)) {
                            simulations++;
                        }
                    }
                }
            }
        }
        LOG.infof("dataset store %s: %d simulations indexed", root, simulations);
    }

    private boolean scanSimulation(String model, Path simDir) throws IOException {
        SimulationEntry entry = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(simDir)) {
            for (Path f : files) {
                if (DurableFiles.isTemp(f)) {
                    Files.deleteIfExists(f);
                    continue;
                }
                Matcher m = CHUNK_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int chunkIndex = Integer.parseInt(m.group(1));
                if (entry == null) {
                    // Chunks are self-describing: any one of them gives the campaign and chunk count.
                    TraceChunk first = TraceChunk.parseFrom(Files.readAllBytes(f));
                    entry = new SimulationEntry(first.getMeta().getCampaignId(), first.getChunkCount());
                }
                if (chunkIndex < entry.chunkCount()) {
                    entry.add(chunkIndex, Files.size(f));
                } else {
                    LOG.warnf("ignoring %s: index beyond chunk count %d", f, entry.chunkCount());
                }
            }
        }
        if (entry == null) {
            return false;
        }
        synchronized (this) {
            index.computeIfAbsent(model, k -> new TreeMap<>()).put(simDir.getFileName().toString(), entry);
        }
        return true;
    }

    /** What the index knows about one simulation. Guarded by the store's monitor. */
    private static final class SimulationEntry {
        private final String campaignId;
        private final int chunkCount;
        private final BitSet present = new BitSet();
        private long bytes;

        SimulationEntry(String campaignId, int chunkCount) {
            this.campaignId = campaignId;
            this.chunkCount = chunkCount;
        }

        void requireConsistent(TraceChunk chunk) {
            if (chunk.getChunkCount() != chunkCount) {
                throw DomainException.invalid("simulation " + chunk.getMeta().getSimulationId() + ": chunk_count " + chunk.getChunkCount()
                        + " contradicts the stored chunk_count " + chunkCount);
            }
            if (!chunk.getMeta().getCampaignId().equals(campaignId)) {
                throw DomainException.invalid("simulation " + chunk.getMeta().getSimulationId() + ": campaign_id '" + chunk.getMeta().getCampaignId()
                        + "' contradicts the stored campaign_id '" + campaignId + "'");
            }
        }

        synchronized boolean has(int chunkIndex) {
            return present.get(chunkIndex);
        }

        synchronized void add(int chunkIndex, long size) {
            if (!present.get(chunkIndex)) {
                present.set(chunkIndex);
                bytes += size;
            }
        }

        synchronized boolean complete() {
            return present.cardinality() == chunkCount;
        }

        synchronized int presentCount() {
            return present.cardinality();
        }

        synchronized long bytes() {
            return bytes;
        }

        int chunkCount() {
            return chunkCount;
        }

        boolean inCampaign(String campaign) {
            return campaign == null || campaign.isEmpty() || campaign.equals(campaignId);
        }
    }
}

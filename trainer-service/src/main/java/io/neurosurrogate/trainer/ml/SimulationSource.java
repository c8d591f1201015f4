package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulations of a dataset, by index, with their metadata always at hand and their traces
 * loaded on demand. Training never needs the whole dataset in memory: {@link #cached} keeps at most
 * a given number of traces (least recently used evicted) and reads the others from the dataset
 * store again when a window needs them; evaluation goes through held-out simulations one at a time.
 */
public interface SimulationSource {

    int size();

    /** Metadata of simulation {@code i}, without loading its trace. */
    SimulationMetadata metadata(int i);

    /** The whole trace of simulation {@code i} (may read it from disk). */
    SimulationTrace get(int i);

    /** Reads one simulation's trace from where the dataset lives. */
    @FunctionalInterface
    interface Loader {
        SimulationTrace load(String simulationId) throws IOException;
    }

    /** Reads one simulation's metadata only. */
    @FunctionalInterface
    interface MetadataLoader {
        SimulationMetadata load(String simulationId) throws IOException;
    }

    /** Simulations already in memory. */
    static SimulationSource of(List<SimulationTrace> sims) {
        List<SimulationTrace> copy = List.copyOf(sims);
        return new SimulationSource() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public SimulationMetadata metadata(int i) {
                return copy.get(i).meta();
            }

            @Override
            public SimulationTrace get(int i) {
                return copy.get(i);
            }
        };
    }

    /**
     * Simulations read through {@code loader}, at most {@code cacheSize} traces held (0 = keep all
     * once read); their metadata read up front through {@code metadataLoader}.
     */
    static SimulationSource cached(List<String> ids, Loader loader, MetadataLoader metadataLoader, int cacheSize) {
        List<SimulationMetadata> metas = new ArrayList<>(ids.size());
        Map<Integer, SimulationTrace> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, SimulationTrace> eldest) {
                return cacheSize > 0 && size() > cacheSize;
            }
        };
        for (String id : ids) {
            try {
                metas.add(metadataLoader.load(id));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read simulation " + id + " from the dataset store: " + e.getMessage(), e);
            }
        }
        return new SimulationSource() {
            @Override
            public int size() {
                return ids.size();
            }

            @Override
            public SimulationMetadata metadata(int i) {
                return metas.get(i);
            }

            @Override
            public synchronized SimulationTrace get(int i) {
                SimulationTrace t = cache.get(i);
                if (t == null) {
                    t = load(loader, ids.get(i));
                    cache.put(i, t);
                }
                return t;
            }
        };
    }

    private static SimulationTrace load(Loader loader, String id) {
        try {
            return loader.load(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulation " + id + " from the dataset store: " + e.getMessage(), e);
        }
    }

    /** The simulations at these indices, in this order. */
    default SimulationSource subset(List<Integer> indices) {
        SimulationSource parent = this;
        List<Integer> idx = List.copyOf(indices);
        return new SimulationSource() {
            @Override
            public int size() {
                return idx.size();
            }

            @Override
            public SimulationMetadata metadata(int i) {
                return parent.metadata(idx.get(i));
            }

            @Override
            public SimulationTrace get(int i) {
                return parent.get(idx.get(i));
            }
        };
    }

    default int durationMs(int i) {
        return metadata(i).getDurationMs();
    }

    default String id(int i) {
        return metadata(i).getSimulationId();
    }

    /** Metadata of all simulations, in order. */
    default List<SimulationMetadata> allMetadata() {
        List<SimulationMetadata> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(metadata(i));
        }
        return out;
    }
}

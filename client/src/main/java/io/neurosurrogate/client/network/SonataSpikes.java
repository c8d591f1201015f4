package io.neurosurrogate.client.network;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Spikes in the SONATA spike-file layout (the Allen Institute / Blue Brain format that NEST, NEURON's bmtk, Brian2
 * tooling and BluePy read): an HDF5 file with group {@code /spikes/<population>} holding {@code timestamps} (float64,
 * attribute {@code units = "ms"}) and {@code node_ids} (int64), one entry per spike, sorted by time (attribute
 * {@code sorting = "by_time"}).
 */
public final class SonataSpikes {
    private SonataSpikes() {
    }

    /**
     * Writes (replaces) {@code file}. {@code nodeIds[i]} fired at {@code timestampsMs[i]}; entries must be sorted by time,
     * and there must be at least one.
     */
    public static void write(Path file, String population, long[] nodeIds, double[] timestampsMs) {
        if (nodeIds.length != timestampsMs.length) {
            throw new IllegalArgumentException("node_ids and timestamps differ in length");
        }
        if (nodeIds.length == 0) {
            // jHDF 0.9 cannot write a dataset of zero length.
            throw new IllegalArgumentException("no spikes to write (jHDF cannot write empty datasets)");
        }
        for (int i = 1; i < timestampsMs.length; i++) {
            if (timestampsMs[i] < timestampsMs[i - 1]) {
                throw new IllegalArgumentException("spikes must be sorted by time (entry " + i + ")");
            }
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            WritableGroup spikes = hdf.putGroup("spikes");
            WritableGroup pop = spikes.putGroup(population);
            pop.putAttribute("sorting", "by_time");
            WritableDataset ts = pop.putDataset("timestamps", timestampsMs);
            ts.putAttribute("units", "ms");
            pop.putDataset("node_ids", nodeIds);
        }
    }

    /** What {@link #write} wrote: node ids and timestamps of one population. */
    public record Read(long[] nodeIds, double[] timestampsMs, String units, String sorting) {
    }

    public static Read read(Path file, String population) {
        try (HdfFile hdf = new HdfFile(file)) {
            Dataset ts = hdf.getDatasetByPath("/spikes/" + population + "/timestamps");
            Dataset ids = hdf.getDatasetByPath("/spikes/" + population + "/node_ids");
            Object sorting = hdf.getByPath("/spikes/" + population).getAttribute("sorting").getData();
            Object units = ts.getAttribute("units").getData();
            return new Read((long[]) ids.getData(), (double[]) ts.getData(), String.valueOf(units), String.valueOf(sorting));
        }
    }
}

package io.neurosurrogate.simulator.cell.neuron;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The driver's binary input-spike file, little-endian: int32 nSynapses, int32 durationMs, then per
 * synapse int32 count followed by count int32 bins (1 ms bins; a spike in bin b is an event at
 * t = b ms). Synapse k &lt; nSites is excitatory on site k, synapse nSites + k inhibitory on site k.
 */
final class SpikeFile {
    private SpikeFile() {
    }

    /** Checks the spike bins against the cell: one row per synapse, every bin in [0, durationMs). */
    static void validate(int[][] spikeBins, int nSynapses, int durationMs) {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("durationMs must be > 0, got " + durationMs);
        }
        if (spikeBins.length != nSynapses) {
            throw new IllegalArgumentException("spikeBins has " + spikeBins.length + " rows, the cell has "
                    + nSynapses + " synapses (excitatory then inhibitory, one of each per site)");
        }
        for (int k = 0; k < spikeBins.length; k++) {
            if (spikeBins[k] == null) {
                throw new IllegalArgumentException("spikeBins[" + k + "] is null");
            }
            for (int b : spikeBins[k]) {
                if (b < 0 || b >= durationMs) {
                    throw new IllegalArgumentException("synapse " + k + ": spike bin " + b + " outside [0, " + durationMs + ")");
                }
            }
        }
    }

    static void write(Path file, int[][] spikeBins, int durationMs) {
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            writeInt(out, spikeBins.length);
            writeInt(out, durationMs);
            for (int[] bins : spikeBins) {
                writeInt(out, bins.length);
                for (int b : bins) {
                    writeInt(out, b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeInt(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }
}

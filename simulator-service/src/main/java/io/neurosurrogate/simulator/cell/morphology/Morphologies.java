package io.neurosurrogate.simulator.cell.morphology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Loads a reconstruction by file extension: .asc (Neurolucida ASCII) or .swc, case-insensitive. */
public final class Morphologies {

    private Morphologies() {
    }

    public static Morphology load(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("no morphology file given");
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean asc = lower.endsWith(".asc");
        boolean swc = lower.endsWith(".swc");
        if (!asc && !swc) {
            throw new IllegalArgumentException("unsupported morphology format: " + name + " (expected .asc or .swc)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("morphology file not found: " + file);
        }
        return asc ? AscReader.read(file) : SwcReader.read(file);
    }
}

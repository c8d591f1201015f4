package io.neurosurrogate.simulator.cell.neuron;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The NEURON files shipped on the classpath under {@code neuron/}: the driver script and the NMODL
 * files listed in {@code neuron/mod/INDEX} (listed explicitly because directory listing of classpath
 * resources does not work inside jars). The synapse mechanisms ExcSyn and InhSyn are always needed;
 * the channel mods are extracted only when a model uses them.
 */
final class NeuronResources {
    static final String ROOT = "/neuron/";
    static final String DRIVER = "driver.py";
    static final List<String> SYNAPSE_MODS = List.of("ExcSyn.mod", "InhSyn.mod");

    private NeuronResources() {
    }

    /** Mod file names listed in {@code neuron/mod/INDEX} (one per line, '#' comments allowed). */
    static List<String> modIndex() {
        List<String> names = new ArrayList<>();
        String[] lines = new String(bytes("mod/INDEX"), StandardCharsets.UTF_8).split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.endsWith(".mod") || line.contains("/")) {
                throw new IllegalStateException("neuron/mod/INDEX line " + (i + 1) + ": expected a .mod file name, got " + line);
            }
            names.add(line);
        }
        return names;
    }

    /** True if {@code neuron/mod/<fileName>} is on the classpath. */
    static boolean hasMod(String fileName) {
        return NeuronResources.class.getResource(ROOT + "mod/" + fileName) != null;
    }

    /** Writes the driver script into {@code dir} and returns its path. */
    static Path extractDriver(Path dir) {
        return write(dir.resolve(DRIVER), bytes(DRIVER));
    }

    /** Writes the named mod files into {@code dir}. */
    static void extractMods(Path dir, Collection<String> fileNames) {
        for (String name : fileNames) {
            write(dir.resolve(name), bytes("mod/" + name));
        }
    }

    private static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String relative) {
        try (InputStream in = NeuronResources.class.getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                throw new NeuronException("resource neuron/" + relative + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

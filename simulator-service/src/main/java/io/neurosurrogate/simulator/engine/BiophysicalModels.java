package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.morphology.DefaultL5pcMorphology;
import io.neurosurrogate.simulator.cell.morphology.Discretiser;
import io.neurosurrogate.simulator.cell.morphology.Morphologies;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Registers the biophysical models: {@code l5pc-nmda} and {@code l5pc-ampa} on the default
 * morphology (the built-in generated cell, or a configured file), and {@code l5pc-nmda:<name>} /
 * {@code l5pc-ampa:<name>} for every {@code <name>.asc} / {@code <name>.swc} in a morphology folder.
 * Each model gets the Java engine and, when NEURON is available, the NEURON backend.
 */
public final class BiophysicalModels {
    public static final String NMDA = "l5pc-nmda";
    public static final String AMPA = "l5pc-ampa";
    private static final Pattern MORPHOLOGY_FILE = Pattern.compile("([A-Za-z0-9_.-]{1,64})\\.(asc|swc)", Pattern.CASE_INSENSITIVE);

    private BiophysicalModels() {
    }

    /**
     * @param defaultMorphology file for the plain model names; empty = the built-in morphology
     * @param morphologyDir     folder of extra morphologies; empty = none
     * @param neuron            the NEURON backend, if installed
     */
    public static NeuronEngines register(NeuronEngines engines, Optional<Path> defaultMorphology,
                                         Optional<Path> morphologyDir, Optional<NeuronSimulator> neuron) {
        return register(engines, defaultMorphology, morphologyDir, neuron, SynapticRelease.ALL);
    }

    /** As {@link #register(NeuronEngines, Optional, Optional, Optional)}, with stochastic release. */
    public static NeuronEngines register(NeuronEngines engines, Optional<Path> defaultMorphology,
                                         Optional<Path> morphologyDir, Optional<NeuronSimulator> neuron,
                                         SynapticRelease release) {
        Discretiser discretiser = Discretiser.hay();
        CellGeometry base = defaultMorphology
                .map(p -> discretiser.discretise(Morphologies.load(p)))
                .orElseGet(() -> discretiser.discretise(DefaultL5pcMorphology.generate()));
        String baseName = defaultMorphology.map(p -> p.getFileName().toString()).orElse("builtin-l5pc");
        add(engines, NMDA, baseName, base, true, neuron, release);
        add(engines, AMPA, baseName, base, false, neuron, release);
        for (Path file : morphologyFiles(morphologyDir)) {
            var m = MORPHOLOGY_FILE.matcher(file.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            CellGeometry geometry = discretiser.discretise(Morphologies.load(file));
            add(engines, NMDA + ":" + m.group(1), file.getFileName().toString(), geometry, true, neuron, release);
            add(engines, AMPA + ":" + m.group(1), file.getFileName().toString(), geometry, false, neuron, release);
        }
        return engines;
    }

    private static void add(NeuronEngines engines, String name, String morphology, CellGeometry geometry, boolean nmda,
                            Optional<NeuronSimulator> neuron, SynapticRelease release) {
        BiophysicalCell cell = new BiophysicalCell(name, morphology, geometry, nmda, release);
        engines.add(new CompartmentalEngine(cell));
        neuron.ifPresent(n -> engines.add(new NeuronBackendEngine(cell, n)));
    }

    private static List<Path> morphologyFiles(Optional<Path> dir) {
        if (dir.isEmpty()) {
            return List.of();
        }
        if (!Files.isDirectory(dir.get())) {
            throw new IllegalArgumentException("morphology folder " + dir.get() + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir.get())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(asc|swc)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list morphology folder " + dir.get(), e);
        }
    }
}

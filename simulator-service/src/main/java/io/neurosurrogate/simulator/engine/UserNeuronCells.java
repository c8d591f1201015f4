package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.cell.neuron.UserCell;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Loads users' own NEURON cells from a folder: every sub-folder {@code NAME} holding a
 * {@code cell.properties} becomes the model {@code neuron-cell:NAME}. Keys (paths relative to the
 * sub-folder): {@code template} (.hoc or .py, required), {@code template_name} (required),
 * {@code mods} (folder of .mod files), {@code morphology} (argument passed to the template),
 * {@code preload} (comma-separated hoc files loaded first), {@code celsius} (34), {@code v_init} (-76),
 * {@code synapses} ({@code nmda} or {@code ampa}; default nmda).
 */
public final class UserNeuronCells {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private UserNeuronCells() {
    }

    public static List<UserNeuronCellEngine> load(Path folder, NeuronSimulator neuron) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("NEURON cell folder " + folder + " does not exist");
        }
        List<UserNeuronCellEngine> engines = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder)) {
            for (Path dir : children.filter(d -> Files.isRegularFile(d.resolve("cell.properties"))).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(dir + ": cell folder names must match " + NAME.pattern());
                }
                engines.add(load(name, dir, neuron));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        return engines;
    }

    static UserNeuronCellEngine load(String name, Path dir, NeuronSimulator neuron) {
        Properties p = new Properties();
        Path file = dir.resolve("cell.properties");
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String template = required(p, "template", file);
        String templateName = required(p, "template_name", file);
        Path mods = optionalPath(dir, p.getProperty("mods"));
        Path morphology = optionalPath(dir, p.getProperty("morphology"));
        List<Path> preload = new ArrayList<>();
        for (String s : p.getProperty("preload", "").split(",")) {
            if (!s.isBlank()) {
                preload.add(dir.resolve(s.trim()));
            }
        }
        String synapses = p.getProperty("synapses", "nmda").trim();
        if (!synapses.equals("nmda") && !synapses.equals("ampa")) {
            throw new IllegalArgumentException(file + ": synapses must be nmda or ampa, got " + synapses);
        }
        double celsius = number(p, "celsius", 34, file);
        double vInit = number(p, "v_init", -76, file);
        UserCell cell = new UserCell(dir.resolve(template), templateName, mods, morphology, preload, celsius, vInit);
        return new UserNeuronCellEngine(name, cell, synapses.equals("nmda"), neuron);
    }

    private static String required(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(file + ": '" + key + "' is required");
        }
        return v.trim();
    }

    private static Path optionalPath(Path dir, String value) {
        return value == null || value.isBlank() ? null : dir.resolve(value.trim());
    }

    private static double number(Properties p, String key, double fallback, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a number, got " + v);
        }
    }
}

package io.neurosurrogate.simulator.cell.neuron;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's own NEURON cell: a hoc template file (or a Python module with a class), the template or
 * class name, an optional folder of .mod files it needs (compiled together with NeuroSurrogate's
 * synapse mechanisms), an optional argument for the template (typically a morphology file path), hoc
 * files to load before the template (e.g. a biophysics file the template calls), and the temperature
 * (degC) and initial voltage (mV) of the run. Synapse sites are every segment of its dendritic sections
 * (SectionLists {@code basal} then {@code apical} if it has them, else sections whose names contain
 * "dend" or "apic"); the soma is its {@code soma} (first section) or the first section named soma.
 */
public record UserCell(Path template, String templateName, Path modDir, Path morphology, List<Path> preload,
                       double celsius, double vInitMv) {

    public UserCell {
        if (template == null || !Files.isRegularFile(template)) {
            throw new IllegalArgumentException("template file not found: " + template);
        }
        String file = template.getFileName().toString();
        if (!file.endsWith(".hoc") && !file.endsWith(".py")) {
            throw new IllegalArgumentException(template + ": expected a .hoc template or a .py module");
        }
        if (templateName == null || !templateName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(template + ": bad template/class name " + templateName);
        }
        if (modDir != null && !Files.isDirectory(modDir)) {
            throw new IllegalArgumentException("mod folder not found: " + modDir);
        }
        if (morphology != null && !Files.exists(morphology)) {
            throw new IllegalArgumentException("morphology file not found: " + morphology);
        }
        preload = preload == null ? List.of() : List.copyOf(preload);
        for (Path p : preload) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("hoc file to preload not found: " + p);
            }
        }
        if (!Double.isFinite(celsius) || !Double.isFinite(vInitMv)) {
            throw new IllegalArgumentException("celsius and vInitMv must be finite");
        }
    }

    /** A template with no mods, morphology or preloads. */
    public static UserCell of(Path template, String templateName, double celsius, double vInitMv) {
        return new UserCell(template, templateName, null, null, List.of(), celsius, vInitMv);
    }
}

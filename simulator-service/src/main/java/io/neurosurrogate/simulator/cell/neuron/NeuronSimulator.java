package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a cell in NEURON (engine=neuron): either a {@link CellModel} (the same description the
 * pure-Java engine simulates, written as JSON by {@link CellModelJson}) or a user's own NEURON cell
 * ({@link UserCell}). Each run is a child process: {@code python3 driver.py} in a fresh temporary
 * directory holding the model JSON, the binary spike file and the output traces; the directory is
 * deleted afterwards. The driver uses NEURON's fixed-step implicit Euler ({@code secondorder = 0},
 * no CVODE) at {@code dtMs} and records at every step.
 *
 * <p>Input spikes: {@code spikeBins[k]} lists the 1 ms bins in which synapse {@code k} fires (an event
 * at t = bin ms); k &lt; nSites are excitatory (AMPA + NMDA) on site k, nSites + k inhibitory (GABA_A)
 * on site k. A failing driver raises a {@link NeuronException} carrying NEURON's error output; a run
 * past the time limit is killed.
 */
public final class NeuronSimulator {
    /** Default limit for one run (model building + simulation). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    private static final String RESULT_MARK = "NSURR_RESULT ";
    private static final String DESCRIBE_MARK = "NSURR_DESCRIBE ";

    private final NeuronInstallation neuron;
    private final Duration timeout;

    public NeuronSimulator(NeuronInstallation neuron) {
        this(neuron, DEFAULT_TIMEOUT);
    }

    public NeuronSimulator(NeuronInstallation neuron, Duration timeout) {
        this.neuron = neuron;
        this.timeout = timeout;
    }

    /** Runs {@code model} for {@code durationMs} at fixed step {@code dtMs}, recording the soma only. */
    public NeuronRun run(CellModel model, int[][] spikeBins, int durationMs, double dtMs) {
        return run(model, spikeBins, durationMs, dtMs, List.of());
    }

    /** As {@link #run(CellModel, int[][], int, double)}, also recording the voltage at each segment in {@code record}. */
    public NeuronRun run(CellModel model, int[][] spikeBins, int durationMs, double dtMs, List<SegmentRef> record) {
        checkDt(dtMs);
        SpikeFile.validate(spikeBins, model.nExc() + model.nInh(), durationMs);
        for (SegmentRef r : record) {
            if (r.section() < 0 || r.section() >= model.sections().size()
                    || r.segment() < 0 || r.segment() >= model.sections().get(r.section()).cable().nseg()) {
                throw new IllegalArgumentException("recording " + r + " is not a segment of the cell");
            }
        }
        neuron.requireAvailable();
        Path work = createWorkDir();
        try {
            Path mods = Files.createDirectory(work.resolve("mod"));
            NeuronResources.extractMods(mods, modsFor(model));
            Path lib = neuron.compileMechanisms(mods);
            Path modelFile = work.resolve("model.json");
            try (Writer w = Files.newBufferedWriter(modelFile, StandardCharsets.UTF_8)) {
                CellModelJson.write(model, w);
            }
            List<String> cmd = driverCommand(work, lib);
            cmd.addAll(List.of("model", "--model", modelFile.toString()));
            return execute(work, cmd, spikeBins, durationMs, dtMs, record.stream().map(r -> new int[]{r.section(), r.segment()}).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirs.deleteRecursively(work);
        }
    }

    /** Instantiates the user's cell in NEURON and reports its synapse sites and sections. */
    public UserCellDescription describeUserCell(UserCell cell) {
        neuron.requireAvailable();
        Path work = createWorkDir();
        try {
            List<String> cmd = userCommand(work, cell);
            cmd.add("--describe");
            ProcessRunner.Result r = ProcessRunner.run(cmd, work, timeout);
            Map<String, Object> d = MiniJson.object(MiniJson.parse(markedLine(r, DESCRIBE_MARK)), "describe output");
            List<String> names = new ArrayList<>();
            List<Object> sections = MiniJson.array(d.get("sections"), "sections");
            int[] nseg = new int[sections.size()];
            double[] length = new double[sections.size()];
            for (int i = 0; i < sections.size(); i++) {
                Map<String, Object> s = MiniJson.object(sections.get(i), "section");
                names.add(MiniJson.string(s, "name"));
                nseg[i] = (int) MiniJson.number(s, "nseg");
                length[i] = MiniJson.number(s, "L");
            }
            List<String> siteSections = MiniJson.array(d.get("site_sections"), "site_sections").stream()
                    .map(String::valueOf).toList();
            return new UserCellDescription((int) MiniJson.number(d, "sites"), MiniJson.string(d, "soma"), names, nseg,
                    length, siteSections);
        } finally {
            TempDirs.deleteRecursively(work);
        }
    }

    /** Runs the user's cell with {@code synapses} on every site, recording the soma only. */
    public NeuronRun runUserCell(UserCell cell, SynapseParams synapses, int[][] spikeBins, int durationMs, double dtMs) {
        return runUserCell(cell, synapses, spikeBins, durationMs, dtMs, List.of());
    }

    /**
     * Runs the user's cell; {@code record} holds extra {section index, segment} pairs, section indices
     * as in {@link UserCellDescription#sections()}.
     */
    public NeuronRun runUserCell(UserCell cell, SynapseParams synapses, int[][] spikeBins, int durationMs, double dtMs,
                                 List<int[]> record) {
        checkDt(dtMs);
        if (durationMs <= 0) {
            throw new IllegalArgumentException("durationMs must be > 0, got " + durationMs);
        }
        neuron.requireAvailable();
        Path work = createWorkDir();
        try {
            Path syn = work.resolve("synapses.json");
            Files.writeString(syn, CellModelJson.synapsesJson(synapses), StandardCharsets.UTF_8);
            List<String> cmd = userCommand(work, cell);
            cmd.addAll(List.of("--synapses", syn.toString(),
                    "--celsius", Double.toString(cell.celsius()), "--v-init", Double.toString(cell.vInitMv())));
            return execute(work, cmd, spikeBins, durationMs, dtMs, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirs.deleteRecursively(work);
        }
    }

    /** The synapse mods plus the indexed channel mods whose mechanism the model inserts. */
    static Set<String> modsFor(CellModel model) {
        List<String> index = NeuronResources.modIndex();
        Set<String> files = new LinkedHashSet<>(NeuronResources.SYNAPSE_MODS);
        for (ModelSection s : model.sections()) {
            for (MechanismSpec m : s.mechanisms()) {
                String file = m.name() + ".mod";
                if (index.contains(file)) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private List<String> driverCommand(Path work, Path lib) {
        Path driver = NeuronResources.extractDriver(work);
        List<String> cmd = new ArrayList<>();
        cmd.add(neuron.python().toString());
        cmd.add(driver.toString());
        cmd.add("--mechlib");
        cmd.add(lib.toString());
        return cmd;
    }

    /** Driver command for a user cell, its mods compiled together with the synapse mods. */
    private List<String> userCommand(Path work, UserCell cell) {
        try {
            Path mods = Files.createDirectory(work.resolve("mod"));
            NeuronResources.extractMods(mods, NeuronResources.SYNAPSE_MODS);
            if (cell.modDir() != null) {
                for (Path m : NeuronInstallation.modFiles(cell.modDir())) {
                    String name = m.getFileName().toString();
                    if (NeuronResources.SYNAPSE_MODS.contains(name)) {
                        throw new IllegalArgumentException(m + ": clashes with NeuroSurrogate's synapse mechanism " + name);
                    }
                    Files.copy(m, mods.resolve(name));
                }
            }
            List<String> cmd = driverCommand(work, neuron.compileMechanisms(mods));
            cmd.addAll(List.of("user", "--template", cell.template().toAbsolutePath().toString(),
                    "--name", cell.templateName()));
            if (cell.morphology() != null) {
                cmd.addAll(List.of("--morphology", cell.morphology().toAbsolutePath().toString()));
            }
            for (Path p : cell.preload()) {
                cmd.addAll(List.of("--preload", p.toAbsolutePath().toString()));
            }
            return cmd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NeuronRun execute(Path work, List<String> cmd, int[][] spikeBins, int durationMs, double dtMs,
                              List<int[]> record) throws IOException {
        for (int[] bins : spikeBins) {
            for (int b : bins) {
                if (b < 0 || b >= durationMs) {
                    throw new IllegalArgumentException("spike bin " + b + " outside [0, " + durationMs + ")");
                }
            }
        }
        Path spikes = work.resolve("spikes.bin");
        Path out = work.resolve("trace.bin");
        SpikeFile.write(spikes, spikeBins, durationMs);
        List<String> full = new ArrayList<>(cmd);
        full.addAll(List.of("--spikes", spikes.toString(), "--duration", Integer.toString(durationMs),
                "--dt", Double.toString(dtMs), "--out", out.toString()));
        if (!record.isEmpty()) {
            StringBuilder sb = new StringBuilder("[");
            for (int[] r : record) {
                sb.append(sb.length() > 1 ? "," : "").append('[').append(r[0]).append(',').append(r[1]).append(']');
            }
            full.addAll(List.of("--record", sb.append(']').toString()));
        }
        ProcessRunner.Result r = ProcessRunner.run(full, work, timeout);
        Map<String, Object> result = MiniJson.object(MiniJson.parse(markedLine(r, RESULT_MARK)), "driver result");
        int points = (int) MiniJson.number(result, "points");
        int traces = (int) MiniJson.number(result, "traces");
        byte[] data = Files.readAllBytes(out);
        if (traces != 1 + record.size() || (long) points * traces * Double.BYTES != data.length) {
            throw new NeuronException("driver output " + out.getFileName() + " has " + data.length + " bytes, expected "
                    + traces + " traces of " + points + " doubles");
        }
        DoubleBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] soma = new double[points];
        buf.get(soma);
        List<double[]> extra = new ArrayList<>();
        for (int t = 1; t < traces; t++) {
            double[] v = new double[points];
            buf.get(v);
            extra.add(v);
        }
        return new NeuronRun(soma, extra, dtMs, MiniJson.number(result, "run_seconds"));
    }

    /** The JSON after {@code mark} on the driver's stdout, or a NeuronException with its error output. */
    private static String markedLine(ProcessRunner.Result r, String mark) {
        if (r.exitCode() == 0) {
            String[] lines = r.stdout().split("\\R");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith(mark)) {
                    return lines[i].substring(mark.length());
                }
            }
        }
        throw new NeuronException("NEURON driver failed (exit " + r.exitCode() + "):\n" + r.tail(8000));
    }

    private static void checkDt(double dtMs) {
        if (!(dtMs > 0 && dtMs <= 1)) {
            throw new IllegalArgumentException("dtMs must be in (0, 1] ms, got " + dtMs);
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("nsurr-neuron-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

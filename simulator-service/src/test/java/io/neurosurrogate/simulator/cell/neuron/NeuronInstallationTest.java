package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.SynapseParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NeuronInstallationTest {
    @TempDir
    Path dir;

    @Test
    void missingPythonIsAClearError() {
        NeuronInstallation none = new NeuronInstallation(Path.of("/nonexistent/python3"), NeuronInstallation.DEFAULT_NRNIVMODL, dir);
        assertFalse(none.isAvailable());
        assertTrue(none.unavailableReason().orElseThrow().contains("/nonexistent/python3"));
        NeuronSimulator sim = new NeuronSimulator(none);
        NeuronException e = assertThrows(NeuronException.class, () -> sim.run(
                TestModels.somaOnly(-70, SynapseParams.PAPER_AMPA), TestModels.noSpikes(2), 10, 0.025));
        assertTrue(e.getMessage().contains("NEURON is not available") && e.getMessage().contains("/nonexistent/python3"),
                e.getMessage());
    }

    @Test
    void pythonWithoutNeuronIsAClearError() throws IOException {
        Path fake = dir.resolve("python3");
        Files.writeString(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'neuron'\" >&2\nexit 1\n");
        assumeTrue(fake.toFile().setExecutable(true));
        NeuronInstallation inst = new NeuronInstallation(fake, NeuronInstallation.DEFAULT_NRNIVMODL, dir);
        String why = inst.unavailableReason().orElseThrow();
        assertTrue(why.contains("cannot import neuron") && why.contains("No module named 'neuron'"), why);
    }

    @Test
    void hashDependsOnNamesAndContents() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("X.mod"), "NEURON { SUFFIX X }\n");
        Files.writeString(b.resolve("X.mod"), "NEURON { SUFFIX X }\n");
        Files.writeString(a.resolve("notes.txt"), "ignored");
        assertEquals(NeuronInstallation.hash(NeuronInstallation.modFiles(a)), NeuronInstallation.hash(NeuronInstallation.modFiles(b)));
        Files.writeString(b.resolve("X.mod"), "NEURON { SUFFIX Y }\n");
        assertNotEquals(NeuronInstallation.hash(NeuronInstallation.modFiles(a)), NeuronInstallation.hash(NeuronInstallation.modFiles(b)));
        Files.move(a.resolve("X.mod"), a.resolve("Y.mod"));
        Files.writeString(b.resolve("Y.mod"), "NEURON { SUFFIX X }\n");
        Files.delete(b.resolve("X.mod"));
        assertEquals(NeuronInstallation.hash(NeuronInstallation.modFiles(a)), NeuronInstallation.hash(NeuronInstallation.modFiles(b)));
        assertEquals(64, NeuronInstallation.hash(NeuronInstallation.modFiles(a)).length());
    }

    @Test
    void compilesOnceIntoTheCacheEvenWhenAskedConcurrently() throws Exception {
        NeuronInstallation sys = NeuronInstallation.system();
        assumeTrue(sys.isAvailable(), "NEURON not available");
        Path cache = dir.resolve("cache");
        NeuronInstallation inst = new NeuronInstallation(sys.python(), NeuronInstallation.DEFAULT_NRNIVMODL, cache);
        Path mods = Files.createDirectory(dir.resolve("mods"));
        NeuronResources.extractMods(mods, NeuronResources.SYNAPSE_MODS);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> f1 = pool.submit(() -> inst.compileMechanisms(mods));
            Future<Path> f2 = pool.submit(() -> inst.compileMechanisms(mods));
            Path lib = f1.get();
            assertEquals(lib, f2.get());
            assertTrue(Files.isRegularFile(lib) && lib.getFileName().toString().equals("libnrnmech.so"));
            assertEquals(cache.resolve(NeuronInstallation.hash(NeuronInstallation.modFiles(mods))), lib.getParent().getParent());
            try (var entries = Files.list(cache)) {
                assertEquals(List.of(lib.getParent().getParent()), entries.toList(), "no build directories left behind");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void brokenModFileIsReportedWithNocmodlOutput() throws IOException {
        NeuronInstallation sys = NeuronInstallation.system();
        assumeTrue(sys.isAvailable(), "NEURON not available");
        NeuronInstallation inst = new NeuronInstallation(sys.python(), NeuronInstallation.DEFAULT_NRNIVMODL, dir.resolve("cache"));
        Path mods = Files.createDirectory(dir.resolve("mods"));
        Files.writeString(mods.resolve("Broken.mod"), "NEURON { SUFFIX Broken RANGE g }\nBREAKPOINT { g = undefined_thing( }\n");
        NeuronException e = assertThrows(NeuronException.class, () -> inst.compileMechanisms(mods));
        assertTrue(e.getMessage().contains("nrnivmodl did not build") && e.getMessage().contains("Broken"), e.getMessage());
    }

    @Test
    void modIndexListsSynapsesAndHayChannels() {
        List<String> index = NeuronResources.modIndex();
        assertEquals(14, index.size());
        assertTrue(index.containsAll(List.of("ExcSyn.mod", "InhSyn.mod", "NaTs2_t.mod", "CaDynamics_E2.mod")));
        for (String mod : NeuronResources.SYNAPSE_MODS) {
            assertTrue(NeuronResources.hasMod(mod), mod);
        }
    }
}

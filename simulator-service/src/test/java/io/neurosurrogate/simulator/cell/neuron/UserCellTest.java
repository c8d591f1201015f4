package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.SynapseParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A user's own hoc template in NEURON (skipped when NEURON is absent). */
class UserCellTest {
    private static final String TEMPLATE = """
            begintemplate TinyCell
            public soma, dend, basal, all
            create soma, dend[2]
            objref basal, all
            proc init() { local i
                soma { L = 20  diam = 20  nseg = 1  insert pas  g_pas = 1e-4  e_pas = -70 }
                for i = 0, 1 {
                    dend[i] { L = 200  diam = 1  nseg = 3  insert pas  g_pas = 1e-4  e_pas = -70 }
                    connect dend[i](0), soma(0.5)
                }
                basal = new SectionList()
                all = new SectionList()
                soma all.append()
                for i = 0, 1 { dend[i] { basal.append()  all.append() } }
            }
            endtemplate TinyCell
            """;

    private static NeuronSimulator sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void neuron() {
        NeuronInstallation inst = NeuronInstallation.system();
        assumeTrue(inst.isAvailable(), () -> "NEURON not available: " + inst.unavailableReason().orElse(""));
        sim = new NeuronSimulator(inst, Duration.ofSeconds(120));
    }

    private UserCell tinyCell() throws IOException {
        Path hoc = Files.writeString(dir.resolve("tiny.hoc"), TEMPLATE);
        Path mods = Files.createDirectory(dir.resolve("mods"));  // the cell needs no mechanisms of its own
        return new UserCell(hoc, "TinyCell", mods, null, List.of(), 34.0, -70.0);
    }

    @Test
    void describeListsEveryDendriticSegmentAsASite() throws IOException {
        UserCellDescription d = sim.describeUserCell(tinyCell());
        assertEquals(6, d.sites(), "2 basal dendrites x nseg 3");
        assertEquals("TinyCell[0].soma", d.soma());
        assertEquals(List.of("TinyCell[0].soma", "TinyCell[0].dend[0]", "TinyCell[0].dend[1]"), d.sections());
        assertArrayEquals(new int[]{1, 3, 3}, d.nseg());
        assertEquals(List.of("TinyCell[0].dend[0]", "TinyCell[0].dend[1]"), d.siteSections());
    }

    @Test
    void runsWithSpikesOnTheSites() throws IOException {
        UserCell cell = tinyCell();
        int[][] spikes = TestModels.noSpikes(12);
        spikes[4] = new int[]{10};  // excitatory synapse on site 4 = dend[1], segment 1
        NeuronRun run = sim.runUserCell(cell, SynapseParams.PAPER_AMPA, spikes, 100, 0.025,
                List.of(new int[]{2, 1}, new int[]{1, 1}));
        double[] soma = run.somaMv();
        assertEquals(4001, soma.length);
        assertEquals(-70.0, soma[0], 1e-12);
        assertEquals(-70.0, soma[399], 1e-9, "at rest before the event");
        double somaPeak = max(soma) + 70;
        double sitePeak = max(run.recordings().get(0)) + 70;
        double otherDendPeak = max(run.recordings().get(1)) + 70;
        assertTrue(somaPeak > 0.05, "soma EPSP " + somaPeak);
        assertTrue(sitePeak > otherDendPeak && sitePeak > somaPeak, "site " + sitePeak + " other " + otherDendPeak);
        assertEquals(-70.0, soma[4000], 0.05, "back towards rest");
    }

    @Test
    void wrongNumberOfSpikeRowsGivesTheDriversMessage() throws IOException {
        NeuronException e = assertThrows(NeuronException.class,
                () -> sim.runUserCell(tinyCell(), SynapseParams.PAPER_AMPA, TestModels.noSpikes(4), 20, 0.025));
        assertTrue(e.getMessage().contains("4 synapses in the spike file, the cell has 12"), e.getMessage());
    }

    @Test
    void unknownTemplateNameFails() throws IOException {
        UserCell cell = tinyCell();
        UserCell wrong = new UserCell(cell.template(), "NoSuchCell", cell.modDir(), null, List.of(), 34.0, -70.0);
        NeuronException e = assertThrows(NeuronException.class, () -> sim.describeUserCell(wrong));
        assertTrue(e.getMessage().contains("defines no template NoSuchCell"), e.getMessage());
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}

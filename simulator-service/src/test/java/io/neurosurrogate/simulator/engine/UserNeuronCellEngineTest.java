package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.cell.neuron.NeuronInstallation;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.input.GeneratedInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A user's own NEURON cell loaded from a folder and simulated as neuron-cell:NAME (skipped without NEURON). */
class UserNeuronCellEngineTest {
    private static final String TEMPLATE = """
            begintemplate TwoTreeCell
            public soma, dend, apic, all
            create soma, dend[2], apic[1]
            objref all
            proc init() { local i
                soma { L = 20  diam = 20  nseg = 1  insert pas  g_pas = 1e-4  e_pas = -70 }
                for i = 0, 1 {
                    dend[i] { L = 200  diam = 1  nseg = 5  insert pas  g_pas = 1e-4  e_pas = -70 }
                    connect dend[i](0), soma(0.5)
                }
                apic[0] { L = 400  diam = 2  nseg = 9  insert pas  g_pas = 1e-4  e_pas = -70 }
                connect apic[0](0), soma(0.5)
                all = new SectionList()
                forall all.append()
            }
            endtemplate TwoTreeCell
            """;

    private static NeuronSimulator neuron;

    @TempDir
    Path dir;

    @BeforeAll
    static void neuronInstalled() {
        NeuronInstallation installation = NeuronInstallation.system();
        assumeTrue(installation.isAvailable(), "NEURON is not installed");
        neuron = new NeuronSimulator(installation);
    }

    @Test
    void aCellFolderBecomesANeuronModelThatSimulatesItsInput() throws Exception {
        Path cell = Files.createDirectories(dir.resolve("two-tree"));
        Files.writeString(cell.resolve("cell.hoc"), TEMPLATE);
        Files.writeString(cell.resolve("cell.properties"), "template=cell.hoc\ntemplate_name=TwoTreeCell\nv_init=-70\n");
        Files.writeString(dir.resolve("README.txt"), "not a cell");

        List<UserNeuronCellEngine> engines = UserNeuronCells.load(dir, neuron);

        assertThat(engines).hasSize(1);
        UserNeuronCellEngine engine = engines.get(0);
        assertThat(engine.name()).isEqualTo("neuron-cell:two-tree");
        assertThat(engine.kind()).isEqualTo(NeuronEngine.NEURON);
        assertThat(engine.nExc()).isEqualTo(19);
        assertThat(engine.description().siteTrees()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(engine.description().siteSegmentLengthsUm()[0]).isEqualTo(40.0);
        assertThat(engine.description().siteSegmentLengthsUm()[18]).isCloseTo(400.0 / 9, org.assertj.core.data.Offset.offset(1e-9));

        GeneratedInput input = engine.inputGenerator(InputStatistics.getDefaultInstance()).generate(300, 5);
        NeuronResponse response = engine.simulate(input.spikes());
        assertThat(response.somaMv()).hasSize(300);
        float max = -1000;
        for (float v : response.somaMv()) {
            max = Math.max(max, v);
        }
        assertThat(max).as("excitatory input depolarises the passive cell above rest").isGreaterThan(-69.5f);
    }

    @Test
    void aBadCellFolderIsAClearError() throws Exception {
        Path cell = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(cell.resolve("cell.properties"), "template_name=X\n");
        assertThatThrownBy(() -> UserNeuronCells.load(dir, neuron)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'template' is required");
    }
}

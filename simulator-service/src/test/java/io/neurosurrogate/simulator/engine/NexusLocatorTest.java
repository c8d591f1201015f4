package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.morphology.DefaultL5pcMorphology;
import io.neurosurrogate.simulator.cell.morphology.Discretiser;
import io.neurosurrogate.simulator.cell.morphology.Morphologies;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NexusLocatorTest {

    private static CableSection cable(String name, SectionType type, int parent, double length, double startDistance) {
        return new CableSection(name, type, parent, parent == 0 ? 0.5 : 1.0, length, new double[]{2.0}, new double[]{startDistance + length / 2});
    }

    @Test
    void theNexusIsWhereTheTrunkSplitsIntoTwoLargeBranches() {
        // soma - trunk(300) - trunk2(200) -> oblique(50) + main(100); main -> tuftA(300) + tuftB(250)
        CellGeometry g = new CellGeometry(List.of(
                new CableSection("soma", SectionType.SOMA, -1, 0.5, 20, new double[]{20}, new double[]{0}),
                cable("apic[0]", SectionType.APICAL, 0, 300, 10),
                cable("apic[1]", SectionType.APICAL, 1, 200, 310),
                cable("apic[2]", SectionType.APICAL, 2, 50, 510),
                cable("apic[3]", SectionType.APICAL, 2, 100, 510),
                cable("apic[4]", SectionType.APICAL, 4, 300, 610),
                cable("apic[5]", SectionType.APICAL, 4, 250, 610),
                cable("dend[0]", SectionType.BASAL, 0, 100, 10)));
        assertThat(NexusLocator.nexus(g)).contains(new SegmentRef(4, 0));
    }

    @Test
    void noApicalTreeNoNexus() {
        CellGeometry g = new CellGeometry(List.of(
                new CableSection("soma", SectionType.SOMA, -1, 0.5, 20, new double[]{20}, new double[]{0}),
                cable("dend[0]", SectionType.BASAL, 0, 100, 10)));
        assertThat(NexusLocator.nexus(g)).isEmpty();
    }

    @Test
    void realisticCellsHaveTheirNexusSeveralHundredMicronsUpTheTrunk() {
        CellGeometry builtIn = Discretiser.hay().discretise(DefaultL5pcMorphology.generate());
        assertThat(distance(builtIn, NexusLocator.nexus(builtIn).orElseThrow())).isBetween(400.0, 1000.0);
        var cell1 = NeuronParityTest.cell1();
        assumeTrue(cell1.isPresent(), "cell1.asc is not available");
        CellGeometry hay = Discretiser.hay().discretise(Morphologies.load(cell1.get()));
        assertThat(distance(hay, NexusLocator.nexus(hay).orElseThrow())).isBetween(400.0, 1000.0);
    }

    private static double distance(CellGeometry g, SegmentRef ref) {
        double d = g.sections().get(ref.section()).distanceUm()[ref.segment()];
        System.out.println("nexus " + g.sections().get(ref.section()).name() + " at " + d + " um");
        return d;
    }
}

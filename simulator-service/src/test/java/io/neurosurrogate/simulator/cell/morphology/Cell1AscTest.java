package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hay et al. 2011 cell #1 (cell1.asc, ModelDB 139653), not part of the repository: found through the
 * system property {@code ns.cell1}, or shared/data/cell1.asc next to the repository; skipped if absent.
 * Beniaguev, Segev &amp; London 2021 report 262 basal and 377 apical segments (639) for it with the Hay rule.
 */
class Cell1AscTest {

    private static Morphology morphology;
    private static CellGeometry geometry;

    static Path locate() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("ns.cell1");
        if (prop != null) {
            candidates.add(prop);
        }
        candidates.add("../shared/data/cell1.asc");    // from the repository root
        candidates.add("../../shared/data/cell1.asc"); // from the simulator-service module
        candidates.add("/work/shared/data/cell1.asc");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @BeforeAll
    static void load() {
        Path p = locate();
        assumeTrue(p != null, "cell1.asc not found; set -Dns.cell1=/path/to/cell1.asc");
        morphology = Morphologies.load(p);
        geometry = Discretiser.hay().discretise(morphology);
    }

    @Test
    void hasEightBasalTreesOneApicalAndAnAxon() {
        assertEquals(8, morphology.trees(SectionType.BASAL).size());
        assertEquals(1, morphology.trees(SectionType.APICAL).size());
        assertEquals(1, morphology.trees(SectionType.AXON).size());
    }

    @Test
    void segmentCountsMatchThePaper() {
        assertEquals(262, geometry.segments(SectionType.BASAL));
        assertEquals(377, geometry.segments(SectionType.APICAL));
        assertEquals(84, count(SectionType.BASAL), "dend[0..83] as in NEURON");
        assertEquals(109, count(SectionType.APICAL), "apic[0..108] as in NEURON");
        assertEquals(1 + 639 + 2, geometry.totalSegments());
    }

    @Test
    void geometryIsPlausible() {
        CableSection soma = geometry.sections().get(0);
        assertEquals(SectionType.SOMA, soma.type());
        assertTrue(soma.diamUm()[0] > 15 && soma.diamUm()[0] < 30, "soma diam " + soma.diamUm()[0]);
        double maxApical = 0;
        double area = 0;
        boolean hotZone = false;
        for (CableSection s : geometry.sections()) {
            for (int i = 0; i < s.nseg(); i++) {
                if (s.type() == SectionType.APICAL) {
                    maxApical = Math.max(maxApical, s.distanceUm()[i]);
                    hotZone |= s.distanceUm()[i] >= 685 && s.distanceUm()[i] <= 885;
                }
                if (s.type().isDendrite()) {
                    area += s.segmentAreaUm2(i);
                }
            }
        }
        assertTrue(maxApical > 1000, "max apical distance " + maxApical);
        assertTrue(hotZone);
        assertTrue(area > 20_000 && area < 40_000, "dendritic area " + area + " um2");
        double axonDiam = geometry.sections().get(geometry.sections().size() - 1).diamUm()[0];
        assertTrue(axonDiam > 0.5 && axonDiam < 2.0, "axon stub diam " + axonDiam);
    }

    @Test
    void parentsPrecedeChildren() {
        List<CableSection> s = geometry.sections();
        for (int i = 1; i < s.size(); i++) {
            CableSection c = s.get(i);
            assertTrue(c.parent() >= 0 && c.parent() < i, c.name());
            CableSection p = s.get(c.parent());
            if (p.type() == SectionType.SOMA) {
                assertEquals(0.5, c.parentX(), c.name());
            } else {
                assertEquals(1.0, c.parentX(), c.name());
                assertEquals(p.type(), c.type(), c.name());
                // a child's first segment lies beyond its parent's last one
                assertTrue(c.distanceUm()[0] > p.distanceUm()[p.nseg() - 1], c.name());
            }
        }
    }

    private static long count(SectionType t) {
        return geometry.sections().stream().filter(x -> x.type() == t).count();
    }
}

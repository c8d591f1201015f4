package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwcReaderTest {

    private static final double EPS = 1e-9;

    /** 3-point soma of radius 10; same dendrites as {@link AscReaderTest#CELL}, in SWC form. */
    static final String CELL = """
            # test cell, 3-point soma
            1 1   0   0 0 10   -1
            2 1   0 -10 0 10    1
            3 1   0  10 0 10    1
            4 3  10   0 0 1     1
            5 3  30   0 0 1     4
            6 3  50   0 0 1     5   # branch point
            7 3  50  30 0 0.5   6
            8 3  50  60 0 0.5   7
            9 3  80   0 0 0.5   6
            10 3 90   0 0 0.5   9
            11 4  0  10 0 1.5   1
            12 4  0 130 0 1.5  11
            13 2  0 -10 0 0.75  1
            14 2  0 -50 0 0.5  13
            15 2  0 -80 0 0.25 14
            """;

    @Test
    void readsThreePointSomaAndSplitsRunsAtBranchPoints() {
        Morphology m = SwcReader.parse(CELL, "test.swc");
        assertEquals(10.0, m.soma().radiusUm(), EPS);
        assertEquals(0.0, m.soma().y(), EPS);
        Branch basal = m.trees(SectionType.BASAL).get(0);
        assertEquals(3, basal.points().size());
        assertEquals(2, basal.children().size());
        assertEquals(2, basal.children().get(0).points().size());
        assertEquals(2.0, basal.firstPoint().diamUm(), EPS, "SWC radius 1 is diameter 2");
        assertEquals(List.of(SectionType.BASAL, SectionType.APICAL, SectionType.AXON),
                m.trees().stream().map(Branch::type).toList());
    }

    @Test
    void discretisesLikeTheAscVersion() {
        CellGeometry swc = Discretiser.hay().discretise(SwcReader.parse(CELL, "test.swc"));
        CellGeometry asc = Discretiser.hay().discretise(AscReader.parse(AscReaderTest.CELL, "test.asc"));
        assertEquals(asc.sections().size(), swc.sections().size());
        for (int i = 0; i < asc.sections().size(); i++) {
            CableSection a = asc.sections().get(i);
            CableSection b = swc.sections().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.parent(), b.parent());
            assertEquals(a.parentX(), b.parentX(), EPS);
            assertEquals(a.lengthUm(), b.lengthUm(), EPS, a.name());
            assertArrayEquals(a.diamUm(), b.diamUm(), EPS, a.name());
            assertArrayEquals(a.distanceUm(), b.distanceUm(), EPS, a.name());
        }
    }

    @Test
    void singlePointSomaUsesItsRadius() {
        String text = "1 1 0 0 0 7.5 -1\n2 3 7.5 0 0 1 1\n3 3 27.5 0 0 1 2\n";
        Morphology m = SwcReader.parse(text, "one.swc");
        assertEquals(7.5, m.soma().radiusUm(), EPS);
        CellGeometry g = Discretiser.hay().discretise(m);
        assertEquals(15.0, g.sections().get(0).lengthUm(), EPS);
        assertEquals(20.0, g.sections().get(1).lengthUm(), EPS);
        assertEquals(1.0, g.sections().get(2).diamUm()[0], EPS, "no axon: 1 um stubs");
    }

    @Test
    void somaContourUsesCentroidAndMeanDistance() {
        String text = """
                1 1  6 0 0 0.1 -1
                2 1  0 6 0 0.1 1
                3 1 -6 0 0 0.1 2
                4 1  0 -6 0 0.1 3
                5 3  6 0 0 1 1
                6 3 46 0 0 1 5
                """;
        Morphology m = SwcReader.parse(text, "contour.swc");
        assertEquals(6.0, m.soma().radiusUm(), EPS);
        assertEquals(0.0, m.soma().x(), EPS);
    }

    @Test
    void unknownTypeTakesItsParentsType() {
        String text = "1 1 0 0 0 5 -1\n2 4 0 5 0 1 1\n3 7 0 25 0 1 2\n";
        Branch apical = SwcReader.parse(text, "t.swc").trees().get(0);
        assertEquals(SectionType.APICAL, apical.type());
        assertEquals(2, apical.points().size());
    }

    @Test
    void unknownParentNamesTheLine() {
        String text = "# header\n1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n3 3 9 0 0 1 42\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwcReader.parse(text, "bad.swc"));
        assertTrue(e.getMessage().startsWith("bad.swc:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void badNumberNamesTheLine() {
        String text = "1 1 0 0 0 5 -1\n2 3 5 0 zero 1 1\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwcReader.parse(text, "bad.swc"));
        assertTrue(e.getMessage().startsWith("bad.swc:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("'zero'"), e.getMessage());
    }

    @Test
    void missingFieldsAndCyclesAreRejected() {
        IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class,
                () -> SwcReader.parse("1 1 0 0 0 5 -1\n2 3 5 0 0 1\n", "bad.swc"));
        assertTrue(short_.getMessage().startsWith("bad.swc:2:"), short_.getMessage());
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
                () -> SwcReader.parse("1 1 0 0 0 5 -1\n2 3 5 0 0 1 3\n3 3 9 0 0 1 2\n", "bad.swc"));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        IllegalArgumentException noSoma = assertThrows(IllegalArgumentException.class,
                () -> SwcReader.parse("1 3 0 0 0 5 -1\n2 3 5 0 0 1 1\n", "bad.swc"));
        assertTrue(noSoma.getMessage().contains("soma"), noSoma.getMessage());
    }
}

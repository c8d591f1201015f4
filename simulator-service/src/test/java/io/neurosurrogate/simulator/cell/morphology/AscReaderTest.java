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

class AscReaderTest {

    private static final double EPS = 1e-9;

    /**
     * Soma: 4 contour points at radius 10 around the origin (plus a far slice outline to ignore).
     * Basal root along +x from 10 to 50 (40 um, d 2) with a marker inside, split into a child going up
     * from (50,0) to (50,60) (60 um with the duplicated parent point, d 1) and one going on to (90,0)
     * (40 um, d 1) with a spine. Apical along +y from 10 to 130 (120 um, d 3). Axon down, d 1.5, 1, 0.5.
     */
    static final String CELL = """
            ;	V3 text file written for MicroBrightField products.
            (Sections S1 "test.DAT" 0 0 0)
            (ImageCoords)
            ("Slice outline"
              (Color Yellow)
              (Closed)
              (Resolution 0.8)
              ( 5000 0 0 1 S1)  ;  1, 1
              ( 0 5000 0 1 S1)
              (-5000 0 0 1 S1)
            )  ;  End of contour
            ("CellBody"
              (Color RGB (0, 255, 64))
              (CellBody)
              ( 10 0 0 0.3 S1)  ;  3, 1
              ( 0 10 0 0.3 S1)
              (-10 0 0 0.3 S1)
              ( 0 -10 0 0.3 S1)
            )  ;  End of contour
            ( (Color DarkRed)
              (Dendrite)
              ( 10 0 0 2 S1)  ; Root
              ( 30 0 0 2 S1)  ; 1, R
              (Cross
                (Color DarkRed)
                (Name "Marker 3")
                ( 31 1 0 0.5 S1)  ; 1
                ( 32 1 0 0.5 S1)  ; 2
              )  ;  End of markers
              ( 50 0 0 2 S1)
              (
                ( 50 30 0 1 S1)  ; 1, R-1
                ( 50 60 0 1 S1)
                 Normal
              |
                ( 80 0 0 1 S1)  ; 1, R-2
                <( 81 1 0 0.5 S1)>  ; spine
                ( 90 0 0 1 S1)
                 Incomplete
              )  ;  End of split
            )  ;  End of tree
            ( (Color Blue)
              (Apical)
              ( 0 10 0 3 S1)
              ( 0 130 0 3 S1)
               High
            )  ;  End of tree
            ( (Color Orange)
              (Axon)
              ( 0 -10 0 1.5 S1)
              ( 0 -50 0 1 S1)
              ( 0 -80 0 0.5 S1)
               Generated
            )  ;  End of tree
            """;

    @Test
    void readsTreesSomaAndSkipsMarkersAndSpines() {
        Morphology m = AscReader.parse(CELL, "test.asc");
        assertEquals(1, m.trees(SectionType.BASAL).size());
        assertEquals(1, m.trees(SectionType.APICAL).size());
        assertEquals(1, m.trees(SectionType.AXON).size());
        assertEquals(10.0, m.soma().radiusUm(), EPS);
        assertEquals(0.0, m.soma().x(), EPS);
        Branch basal = m.trees(SectionType.BASAL).get(0);
        assertEquals(3, basal.points().size(), "marker points must not become branch points");
        assertEquals(2, basal.children().size());
        assertEquals(2, basal.children().get(1).points().size(), "the spine must be skipped");
        assertEquals(basal, basal.children().get(0).parent());
    }

    @Test
    void discretisesToKnownGeometry() {
        CellGeometry g = Discretiser.hay().discretise(AscReader.parse(CELL, "test.asc"));
        List<CableSection> s = g.sections();
        assertEquals(List.of("soma", "dend[0]", "dend[1]", "dend[2]", "apic[0]", "axon[0]", "axon[1]"),
                s.stream().map(CableSection::name).toList());

        CableSection soma = s.get(0);
        assertEquals(20.0, soma.lengthUm(), EPS);
        assertArrayEquals(new double[]{20.0}, soma.diamUm(), EPS);
        assertEquals(-1, soma.parent());

        CableSection root = s.get(1);
        assertEquals(SectionType.BASAL, root.type());
        assertEquals(0, root.parent());
        assertEquals(0.5, root.parentX(), EPS);
        assertEquals(40.0, root.lengthUm(), EPS);
        assertEquals(3, root.nseg());
        assertArrayEquals(new double[]{2, 2, 2}, root.diamUm(), EPS);
        double h = 40.0 / 3;
        assertArrayEquals(new double[]{h / 2, 1.5 * h, 2.5 * h}, root.distanceUm(), EPS);

        CableSection up = s.get(2);
        assertEquals(1, up.parent());
        assertEquals(1.0, up.parentX(), EPS);
        assertEquals(60.0, up.lengthUm(), EPS, "includes the piece from the parent's last point");
        assertEquals(3, up.nseg());
        assertArrayEquals(new double[]{1, 1, 1}, up.diamUm(), EPS);
        assertArrayEquals(new double[]{50, 70, 90}, up.distanceUm(), EPS);

        CableSection on = s.get(3);
        assertEquals(1, on.parent());
        assertEquals(40.0, on.lengthUm(), EPS);
        assertEquals(3, on.nseg());

        CableSection apic = s.get(4);
        assertEquals(SectionType.APICAL, apic.type());
        assertEquals(0, apic.parent());
        assertEquals(120.0, apic.lengthUm(), EPS);
        assertEquals(7, apic.nseg());
        assertEquals(120.0 / 14, apic.distanceUm()[0], EPS);
        assertEquals(3.0, apic.diamUm()[6], EPS);

        CableSection ax0 = s.get(5);
        CableSection ax1 = s.get(6);
        assertEquals(SectionType.AXON, ax0.type());
        assertEquals(0, ax0.parent());
        assertEquals(0.5, ax0.parentX(), EPS);
        assertEquals(5, ax1.parent());
        assertEquals(1.0, ax1.parentX(), EPS);
        assertEquals(30.0, ax0.lengthUm(), EPS);
        assertEquals(1, ax1.nseg());
        // points at 0 and 40 um are within the first 60 um, the one at 70 um is not: (1.5 + 1) / 2
        assertEquals(1.25, ax0.diamUm()[0], EPS);
        assertEquals(1.25, ax1.diamUm()[0], EPS);
        assertEquals(15.0, ax0.distanceUm()[0], EPS);
        assertEquals(45.0, ax1.distanceUm()[0], EPS);
        assertEquals(7 + 3 + 3 + 3 + 1 + 1 + 1, g.totalSegments());
    }

    @Test
    void withoutCellBodyTakesTheClosedContourNearestTheTrees() {
        String text = """
                ("Outline" (Closed) (1000 0 0 1) (0 1000 0 1) (-1000 0 0 1) (0 -1000 0 1))
                ("Soma" (Closed) (5 0 0 1) (0 5 0 1) (-5 0 0 1) (0 -5 0 1))
                ( (Dendrite) (5 0 0 1) (25 0 0 1) )
                """;
        Morphology m = AscReader.parse(text, "nocellbody.asc");
        assertEquals(5.0, m.soma().radiusUm(), EPS);
    }

    @Test
    void unbalancedOpenBracketNamesItsLine() {
        String text = "(\"CellBody\" (CellBody) (1 0 0 1) (0 1 0 1))\n( (Dendrite)\n  (0 0 0 1)\n  (5 0 0 1)\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AscReader.parse(text, "bad.asc"));
        assertTrue(e.getMessage().startsWith("bad.asc:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void strayClosingBracketNamesItsLine() {
        String text = "( (Dendrite)\n  (0 0 0 1)\n  (5 0 0 1)\n)\n)\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AscReader.parse(text, "bad.asc"));
        assertTrue(e.getMessage().startsWith("bad.asc:5:"), e.getMessage());
    }

    @Test
    void badNumberNamesItsLine() {
        String text = "(\"CellBody\" (CellBody) (1 0 0 1) (0 1 0 1))\n( (Dendrite)\n  (0 0 0 1)\n  (5 0x 0 1)\n)\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AscReader.parse(text, "bad.asc"));
        assertTrue(e.getMessage().startsWith("bad.asc:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("'0x'"), e.getMessage());
    }

    @Test
    void pointWithTooFewNumbersIsRejected() {
        String text = "(\"CellBody\" (CellBody) (1 0 0 1) (0 1 0 1))\n( (Dendrite)\n  (0 0 0 1)\n  (5 0 0)\n)\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AscReader.parse(text, "bad.asc"));
        assertTrue(e.getMessage().startsWith("bad.asc:4:"), e.getMessage());
    }

    @Test
    void fileWithoutTreesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AscReader.parse("(\"CellBody\" (CellBody) (1 0 0 1) (0 1 0 1))", "empty.asc"));
        assertTrue(e.getMessage().contains("empty.asc"), e.getMessage());
    }
}

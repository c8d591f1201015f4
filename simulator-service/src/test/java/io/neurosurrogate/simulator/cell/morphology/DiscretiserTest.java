package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiscretiserTest {

    private static final double EPS = 1e-9;

    @Test
    void hayNsegRule() {
        Discretiser hay = Discretiser.hay();
        assertEquals(40.0, hay.segmentLengthUm());
        assertEquals(1, hay.nseg(39.9));
        assertEquals(3, hay.nseg(40.0));
        assertEquals(5, hay.nseg(85.0));
        assertEquals(1, hay.nseg(0.5));
        assertEquals(21, hay.nseg(400.0));
    }

    @Test
    void customSegmentLength() {
        Discretiser d = Discretiser.withSegmentLength(20.0);
        assertEquals(1, d.nseg(19.9));
        assertEquals(3, d.nseg(20.0));
        assertEquals(9, d.nseg(85.0));
        assertThrows(IllegalArgumentException.class, () -> Discretiser.withSegmentLength(0));
        assertThrows(IllegalArgumentException.class, () -> Discretiser.withSegmentLength(-5));
    }

    private static Morphology oneBranch(Branch b) {
        List<MorphPoint> contour = List.of(new MorphPoint(5, 0, 0, 1), new MorphPoint(-5, 0, 0, 1),
                new MorphPoint(0, 5, 0, 1), new MorphPoint(0, -5, 0, 1));
        return new Morphology("test", Soma.fromContour(contour), List.of(b));
    }

    @Test
    void segmentDiametersPreserveFrustumArea() {
        // 60 um: cylinder d 2 for 30 um, then a cone 2 -> 1 over 30 um; 3 segments of 20 um
        Branch b = new Branch(SectionType.BASAL)
                .addPoint(new MorphPoint(5, 0, 0, 2))
                .addPoint(new MorphPoint(35, 0, 0, 2))
                .addPoint(new MorphPoint(65, 0, 0, 1));
        CableSection s = Discretiser.hay().discretise(oneBranch(b)).sections().get(1);
        assertEquals(60.0, s.lengthUm(), EPS);
        assertEquals(3, s.nseg());
        // by hand: diameter falls 1/30 per um; the slant factor of every cone piece is sqrt(1 + (1/60)^2)
        double slant = Math.sqrt(1 + 1.0 / 3600);
        double d40 = 2 - 10.0 / 30; // diameter at 40 um
        double area0 = Math.PI * 2 * 20;
        double area1 = Math.PI * 2 * 10 + Math.PI * (2 + d40) / 2 * 10 * slant;
        double area2 = Math.PI * (d40 + 1) / 2 * 20 * slant;
        assertEquals(area0 / (Math.PI * 20), s.diamUm()[0], EPS);
        assertEquals(area1 / (Math.PI * 20), s.diamUm()[1], EPS);
        assertEquals(area2 / (Math.PI * 20), s.diamUm()[2], EPS);
        // the whole traced surface is kept
        double traced = Math.PI * 2 * 30 + Math.PI * 1.5 * Math.sqrt(30 * 30 + 0.25);
        assertEquals(traced, s.segmentAreaUm2(0) + s.segmentAreaUm2(1) + s.segmentAreaUm2(2), 1e-9);
        assertEquals(10, s.distanceUm()[0], EPS);
        assertEquals(50, s.distanceUm()[2], EPS);
    }

    @Test
    void childDistancesAddParentPathAndFollowCustomRule() {
        Branch root = new Branch(SectionType.APICAL)
                .addPoint(new MorphPoint(0, 5, 0, 3))
                .addPoint(new MorphPoint(0, 55, 0, 3));
        Branch child = new Branch(SectionType.APICAL)
                .addPoint(new MorphPoint(30, 55, 0, 1))
                .addPoint(new MorphPoint(30, 95, 0, 1)); // 30 from the parent's end, then 40
        root.addChild(child);
        CellGeometry g = Discretiser.withSegmentLength(25).discretise(oneBranch(root));
        CableSection p = g.sections().get(1);
        CableSection c = g.sections().get(2);
        assertEquals("apic[0]", p.name());
        assertEquals("apic[1]", c.name());
        assertEquals(5, p.nseg()); // 50 / 25 = 2
        assertEquals(70.0, c.lengthUm(), EPS);
        assertEquals(5, c.nseg());
        assertEquals(1, c.parent());
        assertEquals(1.0, c.parentX());
        assertEquals(50 + 7, c.distanceUm()[0], EPS);
        assertEquals(1.0, c.diamUm()[0], EPS, "the duplicated parent point takes the child's diameter");
    }

    @Test
    void zeroLengthBranchIsRejected() {
        Branch b = new Branch(SectionType.BASAL).addPoint(new MorphPoint(5, 0, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Discretiser.hay().discretise(oneBranch(b)));
        assertEquals(true, e.getMessage().contains("dend[0]"), e.getMessage());
    }
}

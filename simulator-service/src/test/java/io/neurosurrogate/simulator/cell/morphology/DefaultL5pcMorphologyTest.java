package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.SectionType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultL5pcMorphologyTest {

    private static final CellGeometry G = Discretiser.hay().discretise(DefaultL5pcMorphology.generate());

    @Test
    void shapeIsL5pcLike() {
        Morphology m = DefaultL5pcMorphology.generate();
        assertEquals(8, m.trees(SectionType.BASAL).size());
        assertEquals(1, m.trees(SectionType.APICAL).size());
        assertEquals(22.0, G.sections().get(0).diamUm()[0], 1e-9);
        double basal = 0;
        for (CableSection s : G.sections()) {
            if (s.type() == SectionType.BASAL) {
                basal += s.lengthUm();
                for (double d : s.diamUm()) {
                    assertTrue(d >= 0.5 - 1e-9 && d <= 1.5 + 1e-9, s.name() + " diam " + d);
                }
            }
        }
        assertTrue(basal > 4000 && basal < 5000, "basal length " + basal);
        long obliques = m.trees(SectionType.APICAL).get(0).subtree().stream()
                .filter(b -> b.children().isEmpty() && b.firstPoint().y() < 700).count();
        assertTrue(obliques >= 6 && obliques <= 10, "obliques " + obliques);
    }

    @Test
    void segmentCountsAreBelowCell1() {
        int basal = G.segments(SectionType.BASAL);
        int apical = G.segments(SectionType.APICAL);
        assertEquals(168, basal);
        assertEquals(131, apical);
        assertTrue(basal + apical >= 150 && basal + apical <= 300);
    }

    @Test
    void apicalReachesTheHotZoneAndBeyond() {
        double max = 0;
        int inHotZone = 0;
        for (CableSection s : G.sections()) {
            if (s.type() == SectionType.APICAL) {
                for (double d : s.distanceUm()) {
                    max = Math.max(max, d);
                    if (d >= 685 && d <= 885) {
                        inHotZone++;
                    }
                }
            }
        }
        assertTrue(max >= 1000, "max apical distance " + max);
        assertTrue(inHotZone >= 5, "segments in 685-885 um: " + inHotZone);
    }

    @Test
    void deterministic() {
        CellGeometry again = Discretiser.hay().discretise(DefaultL5pcMorphology.generate());
        assertEquals(G.sections().size(), again.sections().size());
        for (int i = 0; i < G.sections().size(); i++) {
            CableSection a = G.sections().get(i);
            CableSection b = again.sections().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.lengthUm(), b.lengthUm());
            assertArrayEquals(a.diamUm(), b.diamUm());
            assertArrayEquals(a.distanceUm(), b.distanceUm());
        }
    }
}

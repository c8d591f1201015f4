package io.neurosurrogate.simulator.cell.biophysics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neurosurrogate.simulator.cell.channels.Mechanisms;
import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** L5PCbiophys3 (Hay et al. 2011) on a small hand-made cell. */
class HayBiophysicsTest {

    /**
     * soma (L 20); axon; basal dend[0] (2 segs); apic[0] trunk 600 um (3 segs) on soma(trunkX);
     * apic[1] 400 um (4 segs, far end at 1000 um from apic[0](0)) and apic[2] 100 um on its end;
     * a second basal section dend[1] last.
     */
    static CellGeometry cell(double trunkX) {
        double off = Math.abs(trunkX - 0.5) * 20; // soma(0.5) to the trunk's attachment point
        List<CableSection> s = new ArrayList<>();
        s.add(new CableSection("soma", SectionType.SOMA, -1, 0, 20, new double[] {20}, new double[] {0}));
        s.add(new CableSection("axon[0]", SectionType.AXON, 0, 0.5, 30, new double[] {1}, new double[] {15}));
        s.add(new CableSection("dend[0]", SectionType.BASAL, 0, 0.5, 100, new double[] {2, 2}, new double[] {25, 75}));
        s.add(new CableSection("apic[0]", SectionType.APICAL, 0, trunkX, 600, new double[] {4, 3, 2},
                new double[] {100 + off, 300 + off, 500 + off}));
        s.add(new CableSection("apic[1]", SectionType.APICAL, 3, 1, 400, new double[] {1, 1, 1, 1},
                new double[] {650 + off, 750 + off, 850 + off, 950 + off}));
        s.add(new CableSection("apic[2]", SectionType.APICAL, 3, 1, 100, new double[] {1}, new double[] {650 + off}));
        s.add(new CableSection("dend[1]", SectionType.BASAL, 0, 0.5, 50, new double[] {1}, new double[] {25}));
        return new CellGeometry(s);
    }

    private static double param(ModelSection s, String mech, String key, int seg) {
        for (MechanismSpec m : s.mechanisms()) {
            if (m.name().equals(mech)) {
                return m.param(key)[seg];
            }
        }
        throw new AssertionError(s.cable().name() + " has no " + mech);
    }

    private static TreeSet<String> names(ModelSection s) {
        TreeSet<String> n = new TreeSet<>();
        s.mechanisms().forEach(m -> n.add(m.name()));
        return n;
    }

    @Test
    void globalSettings() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_NMDA);
        assertEquals("hay", m.name());
        assertEquals(34, m.celsius());
        assertEquals(-80, m.vInitMv());
        assertEquals(2, m.caoMm());
        assertEquals(1e-4, m.caiInitMm());
        assertEquals(SynapseParams.PAPER_NMDA, m.synapses());
        for (ModelSection s : m.sections()) {
            assertEquals(100, s.raOhmCm());
            assertEquals(-90, param(s, "pas", "e", 0));
            for (MechanismSpec spec : s.mechanisms()) {
                assertTrue(Mechanisms.names().contains(spec.name()), spec.name() + " is not a Java mechanism");
                assertEquals(new TreeSet<>(Mechanisms.parameters(spec.name())), new TreeSet<>(spec.params().keySet()));
            }
        }
    }

    @Test
    void somaAxonBasal() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_NMDA);
        ModelSection soma = m.sections().get(0);
        assertEquals(new TreeSet<>(List.of("pas", "Ca_LVAst", "Ca_HVA", "SKv3_1", "SK_E2", "K_Tst", "K_Pst",
                "Nap_Et2", "NaTa_t", "CaDynamics_E2", "Ih")), names(soma));
        assertEquals(1, soma.cmUfPerCm2());
        assertEquals(50, soma.enaMv());
        assertEquals(-85, soma.ekMv());
        Map<String, Double> expected = Map.of("NaTa_t", 2.04, "Nap_Et2", 0.00172, "K_Pst", 0.00223, "K_Tst", 0.0812,
                "SKv3_1", 0.693, "SK_E2", 0.0441, "Ca_HVA", 0.000992, "Ca_LVAst", 0.00343, "Ih", 0.0002);
        expected.forEach((mech, g) -> assertEquals(g, param(soma, mech, "gbar", 0), mech));
        assertEquals(3.38e-5, param(soma, "pas", "g", 0));
        assertEquals(0.000501, param(soma, "CaDynamics_E2", "gamma", 0));
        assertEquals(460, param(soma, "CaDynamics_E2", "decay", 0));

        ModelSection axon = m.sections().get(1);
        assertEquals(new TreeSet<>(List.of("pas")), names(axon));
        assertEquals(3.25e-5, param(axon, "pas", "g", 0));
        assertEquals(1, axon.cmUfPerCm2());

        ModelSection basal = m.sections().get(2);
        assertEquals(new TreeSet<>(List.of("pas", "Ih")), names(basal));
        assertEquals(2, basal.cmUfPerCm2());
        assertEquals(4.67e-5, param(basal, "pas", "g", 1));
        assertEquals(0.0002, param(basal, "Ih", "gbar", 1));
    }

    @Test
    void apicalUniformValues() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_NMDA);
        ModelSection apic = m.sections().get(4);
        assertEquals(new TreeSet<>(List.of("pas", "Ih", "SK_E2", "Ca_LVAst", "Ca_HVA", "SKv3_1", "NaTa_t", "Im",
                "CaDynamics_E2")), names(apic));
        assertEquals(2, apic.cmUfPerCm2());
        for (int k = 0; k < 4; k++) {
            assertEquals(5.89e-5, param(apic, "pas", "g", k));
            assertEquals(0.0213, param(apic, "NaTa_t", "gbar", k));
            assertEquals(0.000261, param(apic, "SKv3_1", "gbar", k));
            assertEquals(0.0000675, param(apic, "Im", "gbar", k));
            assertEquals(0.0012, param(apic, "SK_E2", "gbar", k));
            assertEquals(0.000509, param(apic, "CaDynamics_E2", "gamma", k));
            assertEquals(122, param(apic, "CaDynamics_E2", "decay", k));
        }
    }

    @Test
    void ihGrowsExponentiallyWithNormalisedDistance() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_NMDA);
        // dmax = far end of apic[1] = 1000 um
        double[][] dist = {{100, 300, 500}, {650, 750, 850, 950}, {650}};
        double previous = 0;
        for (int s = 0; s < 3; s++) {
            ModelSection sec = m.sections().get(3 + s);
            for (int k = 0; k < dist[s].length; k++) {
                double expected = 0.0002 * (-0.8696 + 2.087 * Math.exp(3.6161 * dist[s][k] / 1000));
                assertEquals(expected, param(sec, "Ih", "gbar", k), 1e-10, sec.cable().name() + " seg " + k);
                if (s < 2) {
                    assertTrue(param(sec, "Ih", "gbar", k) > previous, "Ih increases along the trunk");
                    previous = param(sec, "Ih", "gbar", k);
                }
            }
        }
        // at the tip the density is 0.0002 * (2.087 e^3.6161 - 0.8696), about 15 x the somatic 0.0002
        assertEquals(0.0002 * (2.087 * Math.exp(3.6161 * 0.95) - 0.8696), param(m.sections().get(4), "Ih", "gbar", 3), 1e-10);
    }

    @Test
    void hotZoneBetween685And885Um() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_NMDA);
        ModelSection trunk = m.sections().get(3);
        ModelSection apic1 = m.sections().get(4);
        ModelSection apic2 = m.sections().get(5);
        double[] lva = new double[4];
        double[] hva = new double[4];
        for (int k = 0; k < 4; k++) {
            lva[k] = param(apic1, "Ca_LVAst", "gbar", k);
            hva[k] = param(apic1, "Ca_HVA", "gbar", k);
        }
        // segments at 650 (out), 750 (in), 850 (in), 950 (out)
        assertArrayEquals(new double[] {0.000187, 0.0187, 0.0187, 0.000187}, lva, 1e-15);
        assertArrayEquals(new double[] {0.0000555, 0.000555, 0.000555, 0.0000555}, hva, 1e-15);
        assertEquals(0.000187, param(trunk, "Ca_LVAst", "gbar", 2), 1e-15);
        assertEquals(0.0000555, param(apic2, "Ca_HVA", "gbar", 0), 1e-15);
    }

    @Test
    void distancesAreMeasuredFromTheTrunkOriginLikeHay() {
        // trunk attached at soma(1): distances from soma(0.5) are 10 um larger, Hay's from apic[0](0) are not
        CellModel centre = HayBiophysics.build("a", cell(0.5), SynapseParams.PAPER_NMDA);
        CellModel end = HayBiophysics.build("b", cell(1.0), SynapseParams.PAPER_NMDA);
        for (int s = 3; s <= 5; s++) {
            for (int k = 0; k < centre.sections().get(s).cable().nseg(); k++) {
                for (String mech : List.of("Ih", "Ca_LVAst", "Ca_HVA")) {
                    assertEquals(param(centre.sections().get(s), mech, "gbar", k),
                            param(end.sections().get(s), mech, "gbar", k), 1e-15, mech);
                }
            }
        }
    }

    @Test
    void synapseSitesAreBasalSegmentsThenApicalSegments() {
        CellModel m = HayBiophysics.build("hay", cell(0.5), SynapseParams.PAPER_AMPA);
        List<SegmentRef> expected = List.of(new SegmentRef(2, 0), new SegmentRef(2, 1), new SegmentRef(6, 0),
                new SegmentRef(3, 0), new SegmentRef(3, 1), new SegmentRef(3, 2),
                new SegmentRef(4, 0), new SegmentRef(4, 1), new SegmentRef(4, 2), new SegmentRef(4, 3),
                new SegmentRef(5, 0));
        assertEquals(expected, m.synapseSites());
        assertEquals(11, m.nExc());
    }

    @Test
    void hocRoundingToTenDecimals() {
        assertEquals(0.0001234568, HayBiophysics.hoc10(0.000123456789), 0);
        assertEquals(0.0187, HayBiophysics.hoc10(0.0187), 0);
    }
}

package io.neurosurrogate.simulator.cell.biophysics;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The biophysics of the layer 5b pyramidal cell model of Hay et al. (2011), PLoS Comput Biol
 * 7(7):e1002107, file L5PCbiophys3.hoc of ModelDB 139653 (the model fitted to cell #1 for both BAC
 * firing and current-step firing), applied to any discretised {@link CellGeometry}:
 *
 * <ul>
 *   <li>all sections: pas (e -90 mV), cm 1 uF/cm2, Ra 100 ohm cm;</li>
 *   <li>soma: NaTa_t, Nap_Et2, K_Pst, K_Tst, SKv3_1, SK_E2, Ca_HVA, Ca_LVAst, CaDynamics_E2, Ih;</li>
 *   <li>apical: cm 2, NaTa_t, SKv3_1, Im, SK_E2, CaDynamics_E2, Ih rising exponentially with distance,
 *       Ca_LVAst and Ca_HVA raised in the 685-885 um "hot zone";</li>
 *   <li>basal: cm 2, Ih; axon: passive only.</li>
 * </ul>
 *
 * <p>Distances for the apical gradients are measured as Hay's {@code distribute_channels} does: from
 * the 0 end of the first apical section (apic[0](0)), normalised for Ih by the largest distance to
 * the far end of a terminal apical section. Values are rounded to 10 decimals, as Hay's hoc passes
 * them through {@code sprint("%-5.10f")}. Synapse sites: every basal segment, then every apical one.
 */
public final class HayBiophysics {

    /** Temperature (C): the channel kinetics are fixed at 34 C; this sets the Ca Nernst potential. */
    public static final double CELSIUS = 34;
    public static final double V_INIT_MV = -80;
    public static final double CAO_MM = 2;
    public static final double CAI_INIT_MM = 1e-4;
    public static final double RA_OHM_CM = 100;
    public static final double E_PAS_MV = -90;
    public static final double ENA_MV = 50;
    public static final double EK_MV = -85;

    /** Hot-zone limits (um from apic[0](0), exclusive) and the Ih gradient, L5PCbiophys3.hoc. */
    static final double HOT_ZONE_START_UM = 685;
    static final double HOT_ZONE_END_UM = 885;

    private HayBiophysics() {
    }

    /** The Hay 2011 (L5PCbiophys3) cell on {@code geometry}, with {@code synapses} on every dendritic segment. */
    public static CellModel build(String name, CellGeometry geometry, SynapseParams synapses) {
        return assemble(name, geometry, synapses, HayBiophysics::soma, HayBiophysics::axon, HayBiophysics::basal,
                HayBiophysics::apical);
    }

    /** The biophysics of an apical section, given its segments' distances as {@link ApicalDistances} gives them. */
    interface ApicalBiophysics {
        ModelSection apply(CableSection c, double[] distUm, double maxUm);
    }

    /**
     * A cell from per-section biophysics: every section dressed by its type, 34 C, -80 mV, and the
     * synapse sites (every basal segment, then every apical one, in section order).
     */
    static CellModel assemble(String name, CellGeometry geometry, SynapseParams synapses,
                              Function<CableSection, ModelSection> soma, Function<CableSection, ModelSection> axon,
                              Function<CableSection, ModelSection> basal, ApicalBiophysics apicalSection) {
        List<CableSection> cables = geometry.sections();
        ApicalDistances apical = ApicalDistances.of(geometry);
        List<ModelSection> sections = new ArrayList<>(cables.size());
        for (int s = 0; s < cables.size(); s++) {
            CableSection c = cables.get(s);
            sections.add(switch (c.type()) {
                case SOMA -> soma.apply(c);
                case AXON -> axon.apply(c);
                case BASAL -> basal.apply(c);
                case APICAL -> apicalSection.apply(c, apical.fromTrunkOrigin(s), apical.maxUm());
            });
        }
        List<SegmentRef> sites = new ArrayList<>();
        for (SectionType type : List.of(SectionType.BASAL, SectionType.APICAL)) {
            for (int s = 0; s < cables.size(); s++) {
                if (cables.get(s).type() == type) {
                    for (int k = 0; k < cables.get(s).nseg(); k++) {
                        sites.add(new SegmentRef(s, k));
                    }
                }
            }
        }
        return new CellModel(name, sections, CELSIUS, V_INIT_MV, CAO_MM, CAI_INIT_MM, synapses, sites);
    }

    private static ModelSection soma(CableSection c) {
        int n = c.nseg();
        List<MechanismSpec> m = new ArrayList<>();
        m.add(pas(n, 0.0000338));
        m.add(gbar("Ca_LVAst", n, 0.00343));
        m.add(gbar("Ca_HVA", n, 0.000992));
        m.add(gbar("SKv3_1", n, 0.693));
        m.add(caDynamics(n, 0.000501, 460.0));
        m.add(gbar("SK_E2", n, 0.0441));
        m.add(gbar("K_Tst", n, 0.0812));
        m.add(gbar("K_Pst", n, 0.00223));
        m.add(gbar("Nap_Et2", n, 0.00172));
        m.add(gbar("NaTa_t", n, 2.04));
        m.add(gbar("Ih", n, 0.0002));
        return new ModelSection(c, 1, RA_OHM_CM, ENA_MV, EK_MV, m);
    }

    private static ModelSection axon(CableSection c) {
        return new ModelSection(c, 1, RA_OHM_CM, ENA_MV, EK_MV, List.of(pas(c.nseg(), 0.0000325)));
    }

    private static ModelSection basal(CableSection c) {
        int n = c.nseg();
        return new ModelSection(c, 2, RA_OHM_CM, ENA_MV, EK_MV, List.of(pas(n, 0.0000467), gbar("Ih", n, 0.0002)));
    }

    private static ModelSection apical(CableSection c, double[] distUm, double maxUm) {
        int n = c.nseg();
        double[] ih = new double[n];
        double[] lva = new double[n];
        double[] hva = new double[n];
        for (int k = 0; k < n; k++) {
            // distribute_channels("apic","gIhbar_Ih",2,-0.8696,3.6161,0.0,2.0870,0.0002): exponential in d/dmax
            ih[k] = hoc10((-0.8696 + 2.0870 * Math.exp(3.6161 * (distUm[k] / maxUm - 0.0))) * 0.0002);
            boolean hot = distUm[k] > HOT_ZONE_START_UM && distUm[k] < HOT_ZONE_END_UM;
            // type 3 (step): 1 x gbar inside the hot zone, 0.01 (LVA) / 0.1 (HVA) x gbar outside
            lva[k] = hoc10((hot ? 1.0 : 0.010) * 0.0187);
            hva[k] = hoc10((hot ? 1.0 : 0.100) * 0.000555);
        }
        List<MechanismSpec> m = new ArrayList<>();
        m.add(pas(n, 0.0000589));
        m.add(new MechanismSpec("Ih", Map.of("gbar", ih)));
        m.add(caDynamics(n, 0.000509, 122));
        m.add(gbar("SK_E2", n, 0.0012));
        m.add(new MechanismSpec("Ca_LVAst", Map.of("gbar", lva)));
        m.add(new MechanismSpec("Ca_HVA", Map.of("gbar", hva)));
        m.add(gbar("SKv3_1", n, 0.000261));
        m.add(gbar("NaTa_t", n, 0.0213));
        m.add(gbar("Im", n, 0.0000675));
        return new ModelSection(c, 2, RA_OHM_CM, ENA_MV, EK_MV, m);
    }

    /** Rounds as hoc's {@code sprint("%-5.10f")} does (exact decimal value, round half even). */
    static double hoc10(double value) {
        return new BigDecimal(value).setScale(10, RoundingMode.HALF_EVEN).doubleValue();
    }

    static MechanismSpec pas(int n, double g) {
        Map<String, double[]> p = new LinkedHashMap<>();
        p.put("g", filled(n, g));
        p.put("e", filled(n, E_PAS_MV));
        return new MechanismSpec("pas", p);
    }

    static MechanismSpec caDynamics(int n, double gamma, double decayMs) {
        return new MechanismSpec("CaDynamics_E2", Map.of("gamma", filled(n, gamma), "decay", filled(n, decayMs)));
    }

    static MechanismSpec gbar(String name, int n, double value) {
        return new MechanismSpec(name, Map.of("gbar", filled(n, value)));
    }

    static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }
}

package io.neurosurrogate.simulator.cell.biophysics;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SynapseParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.EK_MV;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.ENA_MV;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.RA_OHM_CM;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.caDynamics;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.gbar;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.hoc10;
import static io.neurosurrogate.simulator.cell.biophysics.HayBiophysics.pas;

/**
 * The L5PC biophysics that Beniaguev, Segev &amp; London (Neuron 2021) simulated: Hay's channel set with
 * the parameters of "L5PCbiophys5b" (Hay et al. 2011 models refitted for Shai et al. 2015, PLoS
 * Comput Biol 11(3):e1004090: action potentials initiate in an active axon initial segment, a strong
 * calcium hot zone at 685-885 um, Ih rising exponentially to 65 % of the apical length and then
 * flat). The axon is replaced by two 30 um stubs of 1 um diameter, as that model's template does.
 * Same mechanisms as {@link HayBiophysics}; same synapse sites (every basal, then every apical
 * segment). Distances for the apical gradients are measured from apic[0](0) as in
 * {@link HayBiophysics}.
 */
public final class ShaiBiophysics {
    /** Ih: type-4 distribution, exponential in d / d_max up to 0.65, constant beyond. */
    static final double IH_PLATEAU_FRACTION = 0.65;
    /** Ca_LVAst in the hot zone: 0.141954 * 1.6 S/cm2 (1 % of it outside). */
    static final double CA_LVAST_HOT = 0.141954 * 1.6;

    private ShaiBiophysics() {
    }

    public static CellModel build(String name, CellGeometry geometry, SynapseParams synapses) {
        return HayBiophysics.assemble(name, geometry, synapses, ShaiBiophysics::soma, ShaiBiophysics::axon,
                ShaiBiophysics::basal, ShaiBiophysics::apical);
    }

    private static ModelSection soma(CableSection c) {
        int n = c.nseg();
        List<MechanismSpec> m = new ArrayList<>();
        m.add(pas(n, 3e-5));
        m.add(gbar("Im", n, 0.000008));
        m.add(gbar("Ca_LVAst", n, 0.000557));
        m.add(gbar("Ca_HVA", n, 0.000644));
        m.add(caDynamics(n, 0.000509, 294.679571));
        m.add(gbar("SK_E2", n, 0.09965));
        m.add(gbar("SKv3_1", n, 0.338029));
        m.add(gbar("NaTs2_t", n, 0.998912));
        m.add(gbar("Ih", n, 0.0001 * 0.75));
        return new ModelSection(c, 1, RA_OHM_CM, ENA_MV, EK_MV, m);
    }

    private static ModelSection axon(CableSection c) {
        int n = c.nseg();
        double[] diam = new double[n];
        Arrays.fill(diam, 1.0);
        CableSection stub = new CableSection(c.name(), c.type(), c.parent(), c.parentX(), c.lengthUm(), diam, c.distanceUm());
        List<MechanismSpec> m = new ArrayList<>();
        m.add(pas(n, 3e-5));
        m.add(gbar("Im", n, 0.013322));
        m.add(gbar("Ca_LVAst", n, 0.000813));
        m.add(gbar("Ca_HVA", n, 0.000222));
        m.add(caDynamics(n, 0.000525, 277.300774));
        m.add(gbar("SKv3_1", n, 0.473799));
        m.add(gbar("SK_E2", n, 0.000047));
        m.add(gbar("K_Tst", n, 0.077274));
        m.add(gbar("K_Pst", n, 0.188851));
        m.add(gbar("Nap_Et2", n, 0.005834));
        m.add(gbar("NaTa_t", n, 3.89618));
        m.add(gbar("Ih", n, 0.0001 / 2));
        return new ModelSection(stub, 1, RA_OHM_CM, ENA_MV, EK_MV, m);
    }

    private static ModelSection basal(CableSection c) {
        int n = c.nseg();
        return new ModelSection(c, 2, RA_OHM_CM, ENA_MV, EK_MV, List.of(pas(n, 6e-5), gbar("Ih", n, 0.0001 / 2)));
    }

    private static ModelSection apical(CableSection c, double[] distUm, double maxUm) {
        int n = c.nseg();
        double[] ih = new double[n];
        double[] lva = new double[n];
        for (int k = 0; k < n; k++) {
            double x = Math.min(distUm[k] / maxUm, IH_PLATEAU_FRACTION);
            ih[k] = hoc10((-0.8696 + 2.0870 * Math.exp(3.6161 * x)) * 0.0001);
            boolean hot = distUm[k] > HayBiophysics.HOT_ZONE_START_UM && distUm[k] < HayBiophysics.HOT_ZONE_END_UM;
            lva[k] = hoc10((hot ? 1.0 : 0.010) * CA_LVAST_HOT);
        }
        List<MechanismSpec> m = new ArrayList<>();
        m.add(pas(n, 6e-5));
        m.add(caDynamics(n, 0.000637, 35.725651));
        m.add(gbar("SK_E2", n, 0.000002));
        m.add(new MechanismSpec("Ca_LVAst", Map.of("gbar", lva)));
        m.add(gbar("Ca_HVA", n, 0.000701));
        m.add(gbar("SKv3_1", n, 0.001808));
        m.add(gbar("NaTs2_t", n, 0.021489));
        m.add(gbar("Im", n, 0.00099));
        m.add(new MechanismSpec("Ih", Map.of("gbar", ih)));
        return new ModelSection(c, 2, RA_OHM_CM, ENA_MV, EK_MV, m);
    }
}

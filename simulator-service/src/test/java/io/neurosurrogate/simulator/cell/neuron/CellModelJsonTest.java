package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellModelJsonTest {

    private static CellModel twoSections() {
        ModelSection soma = new ModelSection(new CableSection("soma", SectionType.SOMA, -1, 0.5, 23.5, new double[]{17.25},
                new double[]{0}), 1.0, 100.0, 50.0, -85.0,
                List.of(new MechanismSpec("pas", Map.of("g", new double[]{3e-5}, "e", new double[]{-90.0})),
                        new MechanismSpec("NaTs2_t", Map.of("gbar", new double[]{0.983}))));
        ModelSection apic = new ModelSection(new CableSection("apic[0]", SectionType.APICAL, 0, 1.0, 100.0,
                new double[]{2.0, 1.0 / 3.0}, new double[]{36.75, 86.75}), 2.0, 100.0, 50.0, -85.0,
                List.of(new MechanismSpec("pas", Map.of("g", new double[]{6e-5, 6e-5}, "e", new double[]{-90.0, -90.0}))));
        return new CellModel("two", List.of(soma, apic), 34.0, -80.0, 2.0, 5e-5, SynapseParams.PAPER_NMDA,
                List.of(new SegmentRef(1, 0), new SegmentRef(1, 1)));
    }

    @Test
    void writesTheDocumentedFormatExactly() {
        String expected = "{\"format\":\"neurosurrogate.cell.v1\",\"name\":\"two\",\"celsius\":34.0,\"v_init\":-80.0,"
                + "\"cao\":2.0,\"cai_init\":5.0E-5,\n\"sections\":[\n"
                + "{\"name\":\"soma\",\"type\":\"soma\",\"parent\":-1,\"parent_x\":0.5,\"L\":23.5,\"nseg\":1,\"diam\":[17.25],"
                + "\"cm\":1.0,\"Ra\":100.0,\"ena\":50.0,\"ek\":-85.0,"
                + "\"mechanisms\":{\"pas\":{\"e\":[-90.0],\"g\":[3.0E-5]},\"NaTs2_t\":{\"gbar\":[0.983]}}},\n"
                + "{\"name\":\"apic[0]\",\"type\":\"apical\",\"parent\":0,\"parent_x\":1.0,\"L\":100.0,\"nseg\":2,"
                + "\"diam\":[2.0,0.3333333333333333],\"cm\":2.0,\"Ra\":100.0,\"ena\":50.0,\"ek\":-85.0,"
                + "\"mechanisms\":{\"pas\":{\"e\":[-90.0,-90.0],\"g\":[6.0E-5,6.0E-5]}}}],\n"
                + "\"synapses\":{\"ampa\":{\"tau_rise\":0.3,\"tau_decay\":3.0,\"gmax_ns\":0.4},"
                + "\"nmda\":{\"tau_rise\":2.0,\"tau_decay\":70.0,\"gmax_ns\":0.4},\"mg_mm\":1.0,\"e_exc\":0.0,"
                + "\"gaba\":{\"tau_rise\":0.2,\"tau_decay\":8.0,\"gmax_ns\":1.0},\"e_inh\":-80.0,\"sites\":[[1,0],[1,1]]}}\n";
        assertEquals(expected, CellModelJson.toJson(twoSections()));
    }

    @Test
    void parsesBackToTheSameNumbers() {
        Map<String, Object> root = MiniJson.object(MiniJson.parse(CellModelJson.toJson(twoSections())), "root");
        assertEquals("neurosurrogate.cell.v1", root.get("format"));
        assertEquals(5e-5, MiniJson.number(root, "cai_init"));
        List<Object> sections = MiniJson.array(root.get("sections"), "sections");
        assertEquals(2, sections.size());
        Map<String, Object> apic = MiniJson.object(sections.get(1), "apic");
        assertEquals(List.of(2.0, 1.0 / 3.0), apic.get("diam"), "full double precision survives");
        assertEquals(0.0, MiniJson.number(apic, "parent"));
        Map<String, Object> syn = MiniJson.object(root.get("synapses"), "synapses");
        assertEquals(List.of(List.of(1.0, 0.0), List.of(1.0, 1.0)), syn.get("sites"));
        assertEquals(-80.0, MiniJson.number(syn, "e_inh"));
    }

    @Test
    void refusesNaN() {
        ModelSection soma = new ModelSection(new CableSection("soma", SectionType.SOMA, -1, 0.5, 20, new double[]{20},
                new double[]{0}), Double.NaN, 100.0, 50.0, -85.0, List.of());
        CellModel model = new CellModel("nan", List.of(soma), 34, -70, 2, 5e-5, SynapseParams.PAPER_AMPA, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellModelJson.toJson(model));
        assertTrue(e.getMessage().contains("soma.cm"), e.getMessage());
    }

    @Test
    void escapesNames() {
        assertEquals("\"a\\\"b\\\\c\\n\"", CellModelJson.quote("a\"b\\c\n"));
        assertEquals("a\"b\\c\n", MiniJson.parse(CellModelJson.quote("a\"b\\c\n")));
    }
}

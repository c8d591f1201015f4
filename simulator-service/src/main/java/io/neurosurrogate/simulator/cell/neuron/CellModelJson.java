package io.neurosurrogate.simulator.cell.neuron;

import io.neurosurrogate.core.JsonStrings;
import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.MechanismSpec;
import io.neurosurrogate.simulator.cell.model.ModelSection;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link CellModel} as the JSON model description "neurosurrogate.cell.v1" that the NEURON
 * driver ({@code resources/neuron/driver.py}) builds its cell from, so NEURON and the Java engine
 * simulate the same model. Hand-written JSON (no dependency); every double is written with
 * {@link Double#toString} (full precision, round-trips exactly); NaN and infinities are refused.
 *
 * <p>Units are NEURON's: lengths and diameters um, cm uF/cm2, Ra ohm cm, potentials mV, mechanism
 * parameters as in their NMODL files (conductances S/cm2), calcium mM, temperature degC; synaptic
 * time constants ms and peak conductances nS ({@code gmax_ns}; the driver converts to uS). Segment
 * {@code s} of a section with {@code nseg} n sits at {@code x = (s + 0.5) / n}; synapse sites are
 * {@code [section, segment]} pairs.
 */
public final class CellModelJson {
    public static final String FORMAT = "neurosurrogate.cell.v1";

    private CellModelJson() {
    }

    /** The model as a JSON string (one line per section). */
    public static String toJson(CellModel model) {
        StringWriter w = new StringWriter();
        write(model, w);
        return w.toString();
    }

    /** Writes the model to {@code out} (not closed). */
    public static void write(CellModel model, Writer out) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"format\":").append(quote(FORMAT));
        sb.append(",\"name\":").append(quote(model.name()));
        field(sb, "celsius", model.celsius(), "celsius");
        field(sb, "v_init", model.vInitMv(), "v_init");
        field(sb, "cao", model.caoMm(), "cao");
        field(sb, "cai_init", model.caiInitMm(), "cai_init");
        sb.append(",\n\"sections\":[");
        List<ModelSection> sections = model.sections();
        for (int i = 0; i < sections.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n");
            section(sb, sections.get(i));
        }
        sb.append("],\n\"synapses\":");
        synapses(sb, model.synapses(), model.synapseSites());
        sb.append("}\n");
        try {
            out.write(sb.toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void section(StringBuilder sb, ModelSection s) {
        CableSection c = s.cable();
        String where = c.name();
        sb.append("{\"name\":").append(quote(c.name()));
        sb.append(",\"type\":").append(quote(c.type().jsonName()));
        sb.append(",\"parent\":").append(c.parent());
        field(sb, "parent_x", c.parentX(), where);
        field(sb, "L", c.lengthUm(), where);
        sb.append(",\"nseg\":").append(c.nseg());
        sb.append(",\"diam\":");
        array(sb, c.diamUm(), where + ".diam");
        field(sb, "cm", s.cmUfPerCm2(), where);
        field(sb, "Ra", s.raOhmCm(), where);
        field(sb, "ena", s.enaMv(), where);
        field(sb, "ek", s.ekMv(), where);
        sb.append(",\"mechanisms\":{");
        boolean firstMech = true;
        for (MechanismSpec m : s.mechanisms()) {
            sb.append(firstMech ? "" : ",").append(quote(m.name())).append(":{");
            firstMech = false;
            boolean firstParam = true;
            for (Map.Entry<String, double[]> p : new TreeMap<>(m.params()).entrySet()) {
                sb.append(firstParam ? "" : ",").append(quote(p.getKey())).append(':');
                firstParam = false;
                array(sb, p.getValue(), where + "." + m.name() + "." + p.getKey());
            }
            sb.append('}');
        }
        sb.append("}}");
    }

    private static void synapses(StringBuilder sb, SynapseParams p, List<SegmentRef> sites) {
        sb.append("{\"ampa\":");
        kinetics(sb, p.ampaRiseMs(), p.ampaDecayMs(), p.ampaGmaxNs(), "ampa");
        sb.append(",\"nmda\":");
        kinetics(sb, p.nmdaRiseMs(), p.nmdaDecayMs(), p.nmdaGmaxNs(), "nmda");
        field(sb, "mg_mm", p.mgMm(), "synapses");
        field(sb, "e_exc", p.excReversalMv(), "synapses");
        sb.append(",\"gaba\":");
        kinetics(sb, p.gabaRiseMs(), p.gabaDecayMs(), p.gabaGmaxNs(), "gaba");
        field(sb, "e_inh", p.inhReversalMv(), "synapses");
        if (sites != null) {
            sb.append(",\"sites\":[");
            for (int i = 0; i < sites.size(); i++) {
                SegmentRef r = sites.get(i);
                sb.append(i == 0 ? "" : ",").append('[').append(r.section()).append(',').append(r.segment()).append(']');
            }
            sb.append(']');
        }
        sb.append('}');
    }

    /** The synapse parameters alone (the "synapses" object without "sites"), for user cells. */
    static String synapsesJson(SynapseParams p) {
        StringBuilder sb = new StringBuilder();
        synapses(sb, p, null);
        return sb.append('\n').toString();
    }

    private static void kinetics(StringBuilder sb, double rise, double decay, double gmaxNs, String what) {
        if (!(rise > 0 && decay > rise)) {
            throw new IllegalArgumentException(what + ": need 0 < tau_rise < tau_decay, got " + rise + ", " + decay);
        }
        sb.append('{');
        sb.append("\"tau_rise\":").append(num(rise, what));
        field(sb, "tau_decay", decay, what);
        field(sb, "gmax_ns", gmaxNs, what);
        sb.append('}');
    }

    private static void field(StringBuilder sb, String key, double value, String where) {
        sb.append(",\"").append(key).append("\":").append(num(value, where + "." + key));
    }

    private static void array(StringBuilder sb, double[] values, String where) {
        sb.append('[');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(num(values[i], where + "[" + i + "]"));
        }
        sb.append(']');
    }

    private static String num(double v, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(where + ": not a finite number: " + v);
        }
        return Double.toString(v);
    }

    static String quote(String s) {
        return JsonStrings.quote(s);
    }
}

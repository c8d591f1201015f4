package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.cell.biophysics.ShaiBiophysics;
import io.neurosurrogate.simulator.cell.engine.CableTree;
import io.neurosurrogate.simulator.cell.model.CableSection;
import io.neurosurrogate.simulator.cell.model.CellGeometry;
import io.neurosurrogate.simulator.cell.model.CellModel;
import io.neurosurrogate.simulator.cell.model.SectionType;
import io.neurosurrogate.simulator.cell.model.SegmentRef;
import io.neurosurrogate.simulator.cell.model.SynapseParams;
import io.neurosurrogate.simulator.input.InputGenerator;
import io.neurosurrogate.simulator.input.InputVariant;
import io.neurosurrogate.simulator.input.L5pcBoundInputGenerator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One biophysical neuron model, as both simulators run it: the Hay et al. 2011 L5PC (PLoS Comput
 * Biol 7(7):e1002107) on a morphology, with the synapses of Beniaguev, Segev &amp; London (Neuron 2021)
 * on every dendritic segment, its input distribution and its provenance parameters. Immutable.
 */
public final class BiophysicalCell {
    /** Integration step (ms), as the paper's NEURON simulations. */
    public static final double DT_MS = 0.025;
    /** Soma spike detection: upward crossing of -20 mV (the Hay cell's spikes peak near +30 mV). */
    public static final double SPIKE_THRESHOLD_MV = -20.0;
    /** Voltage targets are clipped here (the paper's -55 mV: spikes removed from the soma trace). */
    public static final double CLIP_MV = -55.0;

    private final String name;
    private final String morphologyName;
    private final CellModel model;
    private final CableTree tree;
    private final boolean nmda;
    private final int[] treeOfSegment;
    private final double[] segmentLengthUm;
    private final Map<String, String> parameters;
    private final SegmentRef nexus;
    private final SynapticRelease release;

    /**
     * @param name            the model name clients use ("l5pc-nmda", "l5pc-ampa:cell1", ...)
     * @param morphologyName  "builtin" or the morphology file's name, for provenance
     * @param nmda            AMPA + NMDA synapses (true) or AMPA only (false)
     */
    public BiophysicalCell(String name, String morphologyName, CellGeometry geometry, boolean nmda) {
        this(name, morphologyName, geometry, nmda, SynapticRelease.ALL);
    }

    /** @param release probability that a presynaptic spike reaches the cell, per synapse kind */
    public BiophysicalCell(String name, String morphologyName, CellGeometry geometry, boolean nmda, SynapticRelease release) {
        this.name = name;
        this.release = release;
        this.morphologyName = morphologyName;
        SynapseParams synapses = nmda ? SynapseParams.PAPER_NMDA : SynapseParams.PAPER_AMPA;
        this.model = ShaiBiophysics.build(name, geometry, synapses);
        this.tree = new CableTree(model);
        this.nmda = nmda;
        // The paper's input drives the basal dendrites and the apical tree as two groups, each with its
        // own rate process (neuron_as_deep_net, simulate_L5PC_and_create_dataset.py).
        int sites = model.nExc();
        treeOfSegment = new int[sites];
        segmentLengthUm = new double[sites];
        for (int k = 0; k < sites; k++) {
            SegmentRef site = model.synapseSites().get(k);
            CableSection section = model.sections().get(site.section()).cable();
            treeOfSegment[k] = section.type() == SectionType.APICAL ? 1 : 0;
            segmentLengthUm[k] = section.segmentLengthUm();
        }
        this.nexus = NexusLocator.nexus(geometry).orElse(null);
        Map<String, String> p = new LinkedHashMap<>();
        if (nexus != null) {
            CableSection ns = geometry.sections().get(nexus.section());
            p.put("cell.nexus", String.format(Locale.ROOT, "%s segment %d, %.0f um from the soma", ns.name(), nexus.segment(),
                    ns.distanceUm()[nexus.segment()]));
        }
        p.put("cell.biophysics", "hay2011-channels-L5PCbiophys5b");
        p.put("cell.morphology", morphologyName);
        p.put("cell.sections", Integer.toString(geometry.sections().size()));
        p.put("cell.segments", Integer.toString(geometry.totalSegments()));
        p.put("cell.basal_segments", Integer.toString(geometry.segments(SectionType.BASAL)));
        p.put("cell.apical_segments", Integer.toString(geometry.segments(SectionType.APICAL)));
        p.put("cell.celsius", Double.toString(model.celsius()));
        p.put("cell.v_init_mv", Double.toString(model.vInitMv()));
        p.put("cell.spike_threshold_mv", Double.toString(SPIKE_THRESHOLD_MV));
        p.put("synapse.nmda", Boolean.toString(nmda));
        p.put("synapse.release_probability_exc", Double.toString(release.excitatory()));
        p.put("synapse.release_probability_inh", Double.toString(release.inhibitory()));
        p.put("synapse.ampa", String.format(Locale.ROOT, "rise=%s decay=%s gmax_ns=%s", synapses.ampaRiseMs(), synapses.ampaDecayMs(), synapses.ampaGmaxNs()));
        p.put("synapse.nmda_kinetics", String.format(Locale.ROOT, "rise=%s decay=%s gmax_ns=%s mg_mm=%s", synapses.nmdaRiseMs(), synapses.nmdaDecayMs(), synapses.nmdaGmaxNs(), synapses.mgMm()));
        p.put("synapse.gaba_a", String.format(Locale.ROOT, "rise=%s decay=%s gmax_ns=%s e_mv=%s", synapses.gabaRiseMs(), synapses.gabaDecayMs(), synapses.gabaGmaxNs(), synapses.inhReversalMv()));
        this.parameters = Map.copyOf(p);
    }

    public String name() {
        return name;
    }

    public String morphologyName() {
        return morphologyName;
    }

    public CellModel model() {
        return model;
    }

    public CableTree tree() {
        return tree;
    }

    /** The segment at the apical nexus (main bifurcation of the apical trunk), or null without an apical tree. */
    public SegmentRef nexus() {
        return nexus;
    }

    public SynapticRelease release() {
        return release;
    }

    public int synapses() {
        return model.nExc() + model.nInh();
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** The paper's input for this cell: its training distribution, or the OOD one when asked for. */
    public InputGenerator inputGenerator(InputStatistics overrides) {
        return L5pcBoundInputGenerator.of(InputVariant.requested(overrides.getVariant(), nmda), overrides, treeOfSegment,
                segmentLengthUm);
    }
}

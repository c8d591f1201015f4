package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.metrics.VoltageMetrics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.ValueInfoProto;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.trainer.onnx.OnnxExporter;
import io.neurosurrogate.trainer.onnx.OnnxRuntimeModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The optional dendritic head (architecture.dendritic_head) on synthetic data whose "apical nexus"
 * voltage is a known causal filter of the input: -65 mV + 1.5 mV x sum_i w_i (spikes_i convolved with
 * exp(-t / 30 ms)), w = +1 for the first 40 excitatory synapses, 0 for the other 40, -1 for the
 * inhibitory ones. Another filter than the soma's, so the head has to learn its own read-out.
 */
class DendriticHeadTest {
    private static final double NEXUS_REST_MV = -65;
    private static final double NEXUS_PSP_MV = 1.5;
    private static final double NEXUS_TAU_MS = 30;
    private static final int APICAL_EXC = 40;

    private final Dl4jSurrogateTrainer trainer = new Dl4jSurrogateTrainer();

    @Test
    void headLearnsTheNexusFilterAndItsOnnxOutputIsInMillivolts() throws Exception {
        List<SimulationTrace> sims = withNexus(IntegrateAndFireFixture.simulations(12, 3000, 11));
        TrainingJobSpec spec = spec(true, TrainingConfig.newBuilder().setEpochs(5).setWindowsPerEpoch(128).setVoltageLossWeight(1).setSeed(3));

        TrainedModel model = trainer.train("l5pc-test/fixture", sims, spec, p -> { }, null);

        ModelCard card = model.card();
        assertThat(card.getMetrics().getNexusVarianceExplained()).as("nexus variance explained on the test set").isGreaterThan(0.5);
        assertThat(card.getMetrics().getNexusRmseMv()).as("nexus RMSE mV").isPositive().isLessThan(card.getNexusStdMv());
        assertThat(card.getMetrics().getOnnxMaxAbsDiff()).as("DL4J vs ONNX Runtime, nexus included").isLessThanOrEqualTo(1e-4);
        assertThat(card.getDendriteOutputName()).isEqualTo(OnnxExporter.DENDRITE_OUTPUT);
        assertThat(card.getNexusMeanMv()).isBetween(-80.0, -40.0);
        assertThat(card.getNexusStdMv()).isPositive();
        assertThat(card.getArchitecture()).contains("linear nexus");
        assertThat(outputNames(model.onnx())).containsExactly("spike_prob", "soma_mv", "nexus_mv");

        // The graph de-normalises the head itself: its output is the nexus voltage in mV.
        SimulationTrace sim = sims.get(0);
        try (OnnxRuntimeModel onnx = new OnnxRuntimeModel(model.onnx())) {
            float[][] out = onnx.run(sim.denseInput(0, 3000), 1, 100, 3000);
            assertThat(out).hasNumberOfRows(3);
            float[] predicted = Arrays.copyOfRange(out[2], 500, 3000);
            float[] simulated = Arrays.copyOfRange(sim.nexusMv(), 500, 3000);
            assertThat(VoltageMetrics.varianceExplained(predicted, simulated)).isGreaterThan(0.5);
        }
        assertThat(model.reportFiles()).containsKey("nexus_voltage.png");
        assertThat(new String(model.reportFiles().get("metrics.json"), StandardCharsets.UTF_8))
                .contains("\"nexusVarianceExplained\": " + card.getMetrics().getNexusVarianceExplained());
    }

    @Test
    void requestingTheHeadOnIntegrateAndFireDataIsInvalidArgumentNamingASimulation() {
        TrainingJobSpec spec = spec(true, TrainingConfig.newBuilder().setEpochs(1).setWindowsPerEpoch(16));
        assertThatThrownBy(() -> trainer.train("iaf/fixture", IntegrateAndFireFixture.simulations(5, 1500, 3), spec, p -> { }, null))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("dendritic_head needs simulations that record the apical nexus voltage (l5pc-*); simulation fixture-")
                .hasMessageEndingWith(" has none");
    }

    @Test
    void samplerRejectsATrainingSimulationWithoutNexusWhenTheHeadIsOn() {
        SimulationTrace iaf = IntegrateAndFireFixture.simulate("no-nexus-7", 7, 1500, 5);
        VoltageNormalisation norm = VoltageNormalisation.fit(List.of(iaf), -55, 500);
        WindowSampler sampler = new WindowSampler(SimulationSource.of(List.of(iaf)), norm, new NexusNormalisation(-65, 3), 500, 80, 500, 1);
        assertThatThrownBy(() -> sampler.next(2))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("simulation no-nexus-7 has none");
    }

    @Test
    void samplerGivesTheNormalisedNexusAsAThirdLabelWithTheSameMask() {
        SimulationTrace sim = withNexus(List.of(IntegrateAndFireFixture.simulate("s", 0, 1500, 5))).get(0);
        NexusNormalisation nexusNorm = NexusNormalisation.fit(List.of(sim), 500);
        WindowSampler sampler = new WindowSampler(SimulationSource.of(List.of(sim)), VoltageNormalisation.fit(List.of(sim), -55, 500),
                nexusNorm, 500, 80, 500, 1);
        org.nd4j.linalg.dataset.MultiDataSet batch = sampler.next(3);
        assertThat(batch.getLabels()).hasSize(3);
        assertThat(batch.getLabelsMaskArrays()).hasSize(3);
        assertThat(batch.getLabels(2).shape()).containsExactly(3, 1, 500);
        assertThat(batch.getLabelsMaskArray(2)).isEqualTo(batch.getLabelsMaskArray(0));
        // Mean 0, std 1 over the counted bins of the one training simulation, so these windows are near that.
        float[] labels = batch.getLabels(2).dup('c').data().asFloat();
        double mean = 0;
        for (float v : labels) {
            mean += v;
        }
        assertThat(Math.abs(mean / labels.length)).isLessThan(1.5);
        assertThat(nexusNorm.toMv(labels[0])).isCloseTo(nexusAt(sim, batch, 0), org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void withoutTheFlagTheNetworkAndItsGraphHaveExactlyTheTwoHeads() throws Exception {
        SurrogateArchitecture plain = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-1x1").build());
        SurrogateNetwork net = SurrogateNetwork.create(plain, 100, 1e-3, "nadam", 0.1, 1);
        VoltageNormalisation norm = new VoltageNormalisation(-55, -66, 4);
        assertThat(net.hasDendriteHead()).isFalse();
        assertThat(net.predict(new float[100 * 90], 1, 90)).hasNumberOfRows(2);
        byte[] onnx = OnnxExporter.export(net.toOnnxNetwork(norm), ModelCard.getDefaultInstance());
        assertThat(outputNames(onnx)).containsExactly("spike_prob", "soma_mv");
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(onnx)) {
            assertThat(model.hasDendriteOutput()).isFalse();
            assertThat(model.run(new float[100 * 90], 1, 100, 90)).hasNumberOfRows(2);
        }

        SurrogateArchitecture withHead = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-1x1").setDendriticHead(true).build());
        SurrogateNetwork headed = SurrogateNetwork.create(withHead, 100, 1e-3, "nadam", 0.1, 1);
        assertThat(headed.parameterCount()).as("one more 1x1 head: 1 weight + 1 bias").isEqualTo(net.parameterCount() + 2);
        assertThatThrownBy(() -> headed.toOnnxNetwork(norm)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nexus");
        assertThat(outputNames(OnnxExporter.export(headed.toOnnxNetwork(norm, new NexusNormalisation(-65, 3)), ModelCard.getDefaultInstance())))
                .containsExactly("spike_prob", "soma_mv", "nexus_mv");
    }

    private static float nexusAt(SimulationTrace sim, org.nd4j.linalg.dataset.MultiDataSet batch, int window) {
        // Find the window's start from its input: the sampler copies bins [start, start + 500) of the one simulation.
        float[] x = batch.getFeatures(0).dup('c').data().asFloat();
        int synapses = sim.synapses();
        for (int start = 0; start + 500 <= sim.durationMs(); start++) {
            float[] dense = sim.denseInput(start, 500);
            if (Arrays.equals(dense, Arrays.copyOfRange(x, window * synapses * 500, (window + 1) * synapses * 500))) {
                return sim.nexusMv()[start];
            }
        }
        throw new AssertionError("window not found in the simulation");
    }

    private static List<String> outputNames(byte[] onnx) throws Exception {
        return ModelProto.parseFrom(onnx).getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
    }

    private static TrainingJobSpec spec(boolean dendriticHead, TrainingConfig.Builder config) {
        return TrainingJobSpec.newBuilder()
                .setArchitecture(Architecture.newBuilder().setDendriticHead(dendriticHead)
                        .addLayers(ConvLayer.newBuilder().setFilters(2).setKernelMs(80).setActivation("identity")))
                .setConfig(config)
                .build();
    }

    /** The same simulations with the synthetic nexus trace (see the class comment) added. */
    static List<SimulationTrace> withNexus(List<SimulationTrace> sims) {
        List<SimulationTrace> out = new ArrayList<>(sims.size());
        double decay = Math.exp(-1.0 / NEXUS_TAU_MS);
        for (SimulationTrace s : sims) {
            int duration = s.durationMs();
            double[] drive = new double[duration];
            int[][] bins = new int[s.synapses()][];
            for (int i = 0; i < s.synapses(); i++) {
                bins[i] = s.spikeBins(i);
                double w = i < APICAL_EXC ? 1 : i < IntegrateAndFireFixture.N_EXC ? 0 : -1;
                for (int b : bins[i]) {
                    drive[b] += w;
                }
            }
            float[] nexus = new float[duration];
            double u = 0;
            for (int t = 0; t < duration; t++) {
                u = u * decay + NEXUS_PSP_MV * drive[t];
                nexus[t] = (float) (NEXUS_REST_MV + u);
            }
            out.add(new SimulationTrace(s.meta().toBuilder().setNeuronModel("l5pc-test").build(), bins, s.somaMv(),
                    s.outputSpikeTimesMs(), nexus));
        }
        return out;
    }
}

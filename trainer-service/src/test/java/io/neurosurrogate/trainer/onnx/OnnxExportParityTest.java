package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.model.ModelCards;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The exported ONNX graph computes what the DL4J network computes, causally, and carries the model card. */
class OnnxExportParityTest {
    private static final int SYNAPSES = 100;
    private static final VoltageNormalisation NORM = new VoltageNormalisation(-55, -66.5, 4.2);

    @Test
    void randomlyInitialisedIafNetMatchesOnnxRuntimeWithin1e4() {
        assertParity(SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("iaf-1x1").build()), 11);
    }

    @Test
    void multiLayerDilatedNetMatchesOnnxRuntimeWithin1e4() {
        Architecture spec = Architecture.newBuilder()
                .addLayers(ConvLayer.newBuilder().setFilters(6).setKernelMs(9).setDilation(1).setActivation("relu"))
                .addLayers(ConvLayer.newBuilder().setFilters(5).setKernelMs(5).setDilation(4).setActivation("tanh"))
                .addLayers(ConvLayer.newBuilder().setFilters(3).setKernelMs(3).setDilation(8).setActivation("sigmoid"))
                .build();
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(spec);
        assertThat(arch.receptiveFieldMs()).isEqualTo(1 + 8 + 16 + 16);
        assertParity(arch, 12);
    }

    @Test
    void changingInputAtTimeTChangesNoOnnxOutputBeforeT() {
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("tcn-fast").build());
        SurrogateNetwork net = SurrogateNetwork.create(arch, SYNAPSES, 1e-3, "nadam", 0.05, 5);
        int time = 300;
        int changedAt = 170;
        float[] input = randomSpikes(1, time, 5);
        float[] changed = input.clone();
        for (int s = 0; s < SYNAPSES; s++) {
            changed[s * time + changedAt] = 1f - changed[s * time + changedAt];
        }
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(OnnxExporter.export(net.toOnnxNetwork(NORM), ModelCard.getDefaultInstance()))) {
            float[][] before = model.run(input, 1, SYNAPSES, time);
            float[][] after = model.run(changed, 1, SYNAPSES, time);
            for (int out = 0; out < 2; out++) {
                for (int t = 0; t < changedAt; t++) {
                    assertThat(after[out][t]).as("output %d at t=%d", out, t).isEqualTo(before[out][t]);
                }
                assertThat(after[out][changedAt]).as("the change itself is seen at t").isNotEqualTo(before[out][changedAt]);
            }
        }
    }

    @Test
    void modelCardRoundTripsThroughOnnxMetadata() {
        ModelCard card = ModelCard.newBuilder()
                .setNeuronModel("iaf").setDtMs(1.0).setReceptiveFieldMs(80).setNExc(80).setNInh(20)
                .setSynapseOrder("exc[0..79],inh[0..19]").setVClipMv(-55).setVMeanMv(-66.25).setVStdMv(4.125)
                .setDatasetId("iaf/campaign-7").setArchitecture("iaf-1x1: causal conv 1x80ms identity")
                .setTrainingConfigJson("{\"epochs\":24,\"optimizer\":\"nadam\"}").setCreatedAtMs(1_790_000_000_123L)
                .setFramework("deeplearning4j 1.0.0-M2.1").setInputName("spikes").setSpikeOutputName("spike_prob")
                .setVoltageOutputName("soma_mv").setParameters(725).setReleaseProbability(1.0).setTemperatureC(0)
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.9971).setSomaRmseMv(1.61).setVarianceExplained(0.81)
                        .setThresholdAt0P25Fa(0.31).setHitRateAt0P25Fa(0.7).setHitRateAt1Fa(0.9).setTestSimulations(10)
                        .setTestBins(55_000).setOnnxMaxAbsDiff(3e-7).setValAuc(0.9968))
                .build();
        SurrogateNetwork net = SurrogateNetwork.create(SurrogateArchitecture.resolve(Architecture.getDefaultInstance()), SYNAPSES, 1e-3, "nadam", 0.05, 1);
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(OnnxExporter.export(net.toOnnxNetwork(NORM), card))) {
            assertThat(ModelCards.fromMetadata(model.metadata())).isEqualTo(card);
        }
    }

    private static void assertParity(SurrogateArchitecture arch, long seed) {
        SurrogateNetwork net = SurrogateNetwork.create(arch, SYNAPSES, 1e-3, "nadam", 0.05, seed);
        int batch = 3;
        int time = 400;
        float[] input = randomSpikes(batch, time, seed);
        float[][] dl4j = net.predict(input, batch, time);
        float[] expectedMv = new float[dl4j[1].length];
        for (int i = 0; i < expectedMv.length; i++) {
            expectedMv[i] = NORM.toMv(dl4j[1][i]);
        }
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(OnnxExporter.export(net.toOnnxNetwork(NORM), ModelCard.getDefaultInstance()))) {
            OnnxParity parity = OnnxParity.compare(model, input, batch, SYNAPSES, time, dl4j[0], expectedMv, NORM.stdMv());
            assertThat(parity.spikeProbMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(parity.somaMvMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(parity.withinTolerance()).isTrue();
        }
    }

    /** Dense enough (10 %) that every kernel tap of every synapse is exercised. */
    private static float[] randomSpikes(int batch, int time, long seed) {
        Random r = new Random(seed);
        float[] x = new float[batch * SYNAPSES * time];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.1 ? 1f : 0f;
        }
        return x;
    }
}

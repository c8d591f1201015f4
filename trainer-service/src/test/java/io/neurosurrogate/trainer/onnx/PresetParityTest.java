package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.trainer.ml.NexusNormalisation;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every preset, after a few training steps (so batch-norm running statistics, the factorised first
 * layer and the heads all hold trained, non-initial values), computes in ONNX Runtime what it
 * computes in DL4J: max |difference| <= 1e-4 for the spike probability and the soma voltage in mV,
 * and with the dendritic head for the nexus voltage on its normalised scale.
 */
class PresetParityTest {
    private static final VoltageNormalisation NORM = new VoltageNormalisation(-55, -66.5, 4.2);
    /** A nexus that swings wide (calcium spikes), so the mV difference is the normalised one x 12. */
    private static final NexusNormalisation NEXUS_NORM = new NexusNormalisation(-58.25, 12.5);

    static Stream<Arguments> presets() {
        return Stream.of(
                Arguments.of("iaf-1x1", "auto", false, false),
                Arguments.of("iaf-reset", "auto", false, false),
                Arguments.of("tcn-fast", "auto", false, false),
                Arguments.of("l5pc-ampa-1x128", "factorised", false, false),
                Arguments.of("l5pc-ampa-1x128", "dense", false, false),
                Arguments.of("l5pc-ampa-4x64", "auto", false, false),
                Arguments.of("l5pc-ampa-fast", "auto", false, false),
                Arguments.of("l5pc-nmda-fast", "auto", true, false),
                // The dendritic head on an L5PC-shaped net (the residual variant's ReLUs all die in
                // these three Nadam 3e-3 steps on random targets once the head's loss is added).
                Arguments.of("l5pc-nmda-fast", "auto", false, true),
                Arguments.of("l5pc-nmda-7x128", "auto", false, false),
                Arguments.of("bn-relu-3x32", "auto", true, false),
                Arguments.of("bn-relu-3x32", "dense", false, false));
    }

    @ParameterizedTest(name = "{0} first layer {1} residual {2} dendritic head {3}")
    @MethodSource("presets")
    void trainedPresetMatchesOnnxRuntime(String preset, String firstLayer, boolean residual, boolean dendriticHead) {
        // "bn-relu-3x32": explicit layers with batch norm (folded into the conv on export).
        Architecture.Builder spec = Architecture.newBuilder().setFirstLayer(firstLayer).setResidual(residual).setDendriticHead(dendriticHead);
        if (preset.equals("bn-relu-3x32")) {
            for (int[] kd : new int[][]{{25, 1}, {9, 2}, {9, 4}}) {
                spec.addLayers(ConvLayer.newBuilder().setFilters(32).setKernelMs(kd[0]).setDilation(kd[1]).setActivation("relu").setBatchNorm(true));
            }
        } else {
            spec.setPreset(preset);
        }
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(spec.build());
        int synapses = preset.startsWith("l5pc") || preset.startsWith("bn") ? 1278 : 100;
        SurrogateNetwork net = SurrogateNetwork.create(arch, synapses, 3e-3, "nadam", 0.05, 7);
        int time = arch.receptiveFieldMs() + 120;
        Random random = new Random(3);
        for (int step = 0; step < 3; step++) {
            net.fit(batch(random, 2, synapses, time, dendriticHead));
        }
        // Inference with another batch size than training (batch norm's reshapes must follow it).
        int batch = 3;
        float[] input = spikes(random, batch, synapses, time, 0.03);
        // Three steps leave the running batch-norm statistics far from the data (activations of
        // hundreds through four layers); a trained network's are calibrated, so calibrate them.
        net.calibrateBatchNorm(spikes(random, batch, synapses, time, 0.03), batch, time);
        float[][] dl4j = net.predict(input, batch, time);
        float[] expectedMv = new float[dl4j[1].length];
        for (int i = 0; i < expectedMv.length; i++) {
            expectedMv[i] = NORM.toMv(dl4j[1][i]);
        }
        float[] expectedNexusMv = null;
        if (dendriticHead) {
            assertThat(dl4j).hasNumberOfRows(3);
            expectedNexusMv = new float[dl4j[2].length];
            for (int i = 0; i < expectedNexusMv.length; i++) {
                expectedNexusMv[i] = NEXUS_NORM.toMv(dl4j[2][i]);
            }
        }
        OnnxNetwork exported = net.toOnnxNetwork(NORM, dendriticHead ? NEXUS_NORM : null);
        assertThat(exported.receptiveFieldMs()).isEqualTo(arch.receptiveFieldMs());
        assertThat(exported.hasDendrite()).isEqualTo(dendriticHead);
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(OnnxExporter.export(exported, ModelCard.getDefaultInstance()))) {
            assertThat(model.outputNames()).as("graph outputs").containsExactlyElementsOf(dendriticHead
                    ? java.util.List.of("spike_prob", "soma_mv", "nexus_mv") : java.util.List.of("spike_prob", "soma_mv"));
            OnnxParity parity = OnnxParity.compare(model, input, batch, synapses, time, dl4j[0], expectedMv, NORM.stdMv(),
                    expectedNexusMv, NEXUS_NORM.stdMv());
            assertThat(parity.spikeProbMaxAbsDiff()).as("spike_prob").isLessThanOrEqualTo(1e-4);
            assertThat(parity.somaMvMaxAbsDiff()).as("soma_mv").isLessThanOrEqualTo(1e-4);
            assertThat(parity.nexusNormMaxAbsDiff()).as("nexus_mv, normalised").isLessThanOrEqualTo(1e-4);
            assertThat(parity.withinTolerance()).isTrue();
        }
        if (dendriticHead) {
            assertThat(range(expectedNexusMv)).as("nexus voltage varies over the window").isGreaterThan(1e-3f);
        }
        // The outputs are not trivially constant (a parity of two constant graphs would prove nothing).
        assertThat(range(dl4j[0])).as("spike probability varies over the window").isGreaterThan(1e-3f * max(dl4j[0]));
        assertThat(range(expectedMv)).as("soma voltage varies over the window").isGreaterThan(1e-3f);
    }

    private static float range(float[] a) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    private static float max(float[] a) {
        float max = -Float.MAX_VALUE;
        for (float v : a) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static MultiDataSet batch(Random random, int batch, int synapses, int time, boolean dendriticHead) {
        INDArray x = Nd4j.create(spikes(random, batch, synapses, time, 0.02), new long[]{batch, synapses, time}, 'c');
        float[] spike = new float[batch * time];
        float[] volt = new float[batch * time];
        float[] nexus = new float[batch * time];
        for (int i = 0; i < spike.length; i++) {
            spike[i] = random.nextDouble() < 0.01 ? 1f : 0f;
            volt[i] = (float) random.nextGaussian();
            if (dendriticHead) {
                nexus[i] = (float) random.nextGaussian();
            }
        }
        INDArray spikeLabels = Nd4j.create(spike, new long[]{batch, 1, time}, 'c');
        INDArray voltLabels = Nd4j.create(volt, new long[]{batch, 1, time}, 'c');
        return new MultiDataSet(new INDArray[]{x}, dendriticHead
                ? new INDArray[]{spikeLabels, voltLabels, Nd4j.create(nexus, new long[]{batch, 1, time}, 'c')}
                : new INDArray[]{spikeLabels, voltLabels});
    }

    private static float[] spikes(Random random, int batch, int synapses, int time, double p) {
        float[] x = new float[batch * synapses * time];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < p ? 1f : 0f;
        }
        return x;
    }
}

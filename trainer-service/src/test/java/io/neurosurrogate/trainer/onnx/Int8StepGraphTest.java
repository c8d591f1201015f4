package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.inference.Int8Graphs;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.trainer.ml.SurrogateArchitecture;
import io.neurosurrogate.trainer.ml.SurrogateNetwork;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The int8 step graph ({@link Int8Graphs}) of a trained-shape L5PC net: every conv becomes an
 * integer product, the heads stay float, and ONNX Runtime's outputs stay close to the float graph's
 * (but are not equal to them: the products really are quantised).
 */
class Int8StepGraphTest {
    private static final int BATCH = 4;

    @Test
    void convsBecomeIntegerProductsAndOutputsStayCloseToTheFloatGraph() throws Exception {
        SurrogateArchitecture arch = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-nmda-fast").setResidual(true).build());
        int synapses = 200;
        SurrogateNetwork dl4j = SurrogateNetwork.create(arch, synapses, 1e-4, "adam", 0.1, 3);
        OnnxNetwork net = dl4j.toOnnxNetwork(new VoltageNormalisation(-55, -66.5, 4.2), null);
        byte[] fp32 = OnnxStepExporter.export(net, ModelCard.getDefaultInstance());
        byte[] int8 = Int8Graphs.quantise(fp32);

        ModelProto q = ModelProto.parseFrom(int8);
        List<String> ops = q.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        long convGemms = net.layers().size();
        assertThat(convGemms).isGreaterThanOrEqualTo(3);
        assertThat(ops.stream().filter("MatMulInteger"::equals).count()).isEqualTo(convGemms);
        assertThat(ops.stream().filter("Gemm"::equals).count()).as("the heads stay float")
                .isEqualTo(ModelProto.parseFrom(fp32).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Gemm")).count() - convGemms);
        assertThat(q.getMetadataPropsList()).anyMatch(p -> p.getKey().equals(Int8Graphs.PRECISION_KEY) && p.getValue().equals("int8"));
        assertThat(int8.length).as("int8 weights: about a quarter of the float file").isLessThan(fp32.length / 2);

        int time = arch.receptiveFieldMs() + 60;
        Random r = new Random(9);
        float[] input = new float[BATCH * synapses * time];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextDouble() < 0.05 ? 1f : 0f;
        }
        float[][] expected;
        float[][] quantised;
        try (OnnxStepModel f = new OnnxStepModel(fp32); OnnxStepModel i8 = new OnnxStepModel(int8)) {
            expected = f.runSequence(input, BATCH, synapses, time);
            quantised = i8.runSequence(input, BATCH, synapses, time);
        }
        for (int o = 0; o < 2; o++) {
            double maxDiff = 0;
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int i = 0; i < expected[o].length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[o][i] - quantised[o][i]));
                min = Math.min(min, expected[o][i]);
                max = Math.max(max, expected[o][i]);
            }
            System.out.printf("int8 output %d: max |diff| %.4g over a range of %.4g%n", o, maxDiff, max - min);
            assertThat(max - min).as("output %d varies", o).isGreaterThan(1e-3);
            assertThat(maxDiff).as("output %d is quantised, not the float graph", o).isGreaterThan(0);
            assertThat(maxDiff).as("output %d: int8 within 3 %% of the float output's range", o).isLessThan(0.03 * (max - min));
        }
    }

    @Test
    void aGraphOfHeadsAloneIsRefused() {
        Random r = new Random(3);
        OnnxNetwork oneLayer = new OnnxNetwork(4, List.of(OnnxStepParityTest.conv(r, 2, 4, 3, 1, "relu", false)),
                OnnxStepParityTest.conv(r, 1, 2, 1, 1, "identity", false), OnnxStepParityTest.conv(r, 1, 2, 1, 1, "identity", false), -66f, 4f, -55f);
        // The events graph's tail of a one-layer net: the heads alone.
        byte[] heads = OnnxEventsExporter.export(oneLayer, ModelCard.getDefaultInstance());
        assertThatThrownBy(() -> Int8Graphs.quantise(heads)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Gemm");
        assertThat(Int8Graphs.quantise(OnnxStepExporter.export(oneLayer, ModelCard.getDefaultInstance()))).isNotEmpty();
        assertThatThrownBy(() -> Int8Graphs.quantise(new byte[]{1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.inference.runtime.OnnxModelLoader.InvalidModelException;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxModelLoaderTest {
    private final OnnxModelLoader loader = new OnnxModelLoader(1);

    @TempDir
    Path dir;

    @Test
    void loadedModelMatchesHandComputationOfTheCausalConvAndBothHeads() throws Exception {
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        try (LoadedModel model = loader.load(write(tiny.onnx()), version("tiny", 1, tiny.onnx()))) {
            assertThat(model.synapses()).isEqualTo(TinySurrogate.SYNAPSES);
            assertThat(model.spikeThreshold()).isEqualTo(tiny.threshold());
            assertThat(model.card().getNeuronModel()).isEqualTo("iaf-test");

            float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 40, 0.3, 7);
            PredictRequest r = Spikes.denseRequest("tiny", "", x).build();
            Prediction p = model.run(PredictRequests.denseInput(r), 2, 40);

            double[][][] expected = tiny.expected(x);
            for (int n = 0; n < 2; n++) {
                for (int t = 0; t < 40; t++) {
                    assertThat((double) p.spikeProb()[n * 40 + t]).as("spike_prob[%d][%d]", n, t).isCloseTo(expected[0][n][t], within(1e-5));
                    assertThat((double) p.somaMv()[n * 40 + t]).as("soma_mv[%d][%d]", n, t).isCloseTo(expected[1][n][t], within(1e-4));
                }
            }
        }
    }

    @Test
    void modelIsCausalSoALateSpikeLeavesEarlierOutputsUnchanged() throws Exception {
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        try (LoadedModel model = loader.load(write(tiny.onnx()), version("tiny", 1, tiny.onnx()))) {
            float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 30, 0.2, 3);
            Prediction before = model.run(PredictRequests.denseInput(Spikes.denseRequest("tiny", "", x).build()), 1, 30);
            x[0][0][20] = 1 - x[0][0][20];
            Prediction after = model.run(PredictRequests.denseInput(Spikes.denseRequest("tiny", "", x).build()), 1, 30);
            for (int t = 0; t < 20; t++) {
                assertThat(after.somaMv()[t]).isEqualTo(before.somaMv()[t]);
            }
            assertThat(after.somaMv()[20]).isNotEqualTo(before.somaMv()[20]);
        }
    }

    @Test
    void modelWithTheDendriticHeadsThirdOutputLoadsAndServesSpikeAndSomaAsBefore() throws Exception {
        TinySurrogate tiny = TinySurrogate.withNexusOutput(-70f);
        assertThat(io.neurosurrogate.proto.onnx.ModelProto.parseFrom(tiny.onnx()).getGraph().getOutputList())
                .extracting(io.neurosurrogate.proto.onnx.ValueInfoProto::getName).containsExactly("spike_prob", "soma_mv", "nexus_mv");
        try (LoadedModel model = loader.load(write(tiny.onnx()), version("tiny-nexus", 1, tiny.onnx()))) {
            assertThat(model.card().getDendriteOutputName()).isEqualTo(TinySurrogate.NEXUS_OUTPUT);
            float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 30, 0.3, 9);
            Prediction p = model.run(PredictRequests.denseInput(Spikes.denseRequest("tiny-nexus", "", x).build()), 2, 30);
            double[][][] expected = tiny.expected(x);
            for (int n = 0; n < 2; n++) {
                for (int t = 0; t < 30; t++) {
                    assertThat((double) p.spikeProb()[n * 30 + t]).isCloseTo(expected[0][n][t], within(1e-5));
                    assertThat((double) p.somaMv()[n * 30 + t]).isCloseTo(expected[1][n][t], within(1e-4));
                    assertThat((double) p.nexusMv()[n * 30 + t]).as("nexus_mv[%d][%d]", n, t)
                            .isCloseTo(TinySurrogate.nexusFromSoma(expected[1][n][t], -70f), within(1e-4));
                }
            }
            // and Predict hands it out, one value per bin
            io.neurosurrogate.inference.registry.ModelRegistry registry = new io.neurosurrogate.inference.registry.ModelRegistry();
            registry.register(model);
            io.neurosurrogate.proto.v1.PredictResponse r = new Predictor(registry).predict(Spikes.sparseRequest("tiny-nexus", "", x).build());
            assertThat(r.getNeurons(1).getNexusMvList()).hasSize(30);
            assertThat((double) r.getNeurons(1).getNexusMv(7)).isCloseTo(p.nexusMv()[30 + 7], within(1e-6));
        }
    }

    @Test
    void cardWhoseSynapseCountDisagreesWithTheGraphIsRejected() throws Exception {
        TinySurrogate wrong = TinySurrogate.withWrongCard();
        assertThatThrownBy(() -> loader.load(write(wrong.onnx()), version("wrong", 1, wrong.onnx())))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("n_exc + n_inh = 6")
                .hasMessageContaining("5 synapses");
    }

    @Test
    void bytesThatAreNotOnnxAreRejectedWithTheModelNamed() throws Exception {
        byte[] junk = "definitely not an onnx model".getBytes();
        assertThatThrownBy(() -> loader.load(write(junk), version("junk", 3, junk)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model 'junk' version 3");
    }

    @Test
    void closedModelAnswersNotFoundInsteadOfTouchingAFreedSession() throws Exception {
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        LoadedModel model = loader.load(write(tiny.onnx()), version("tiny", 1, tiny.onnx()));
        model.close();
        float[][][] x = Spikes.random(1, TinySurrogate.SYNAPSES, 10, 0.2, 3);
        assertThatThrownBy(() -> model.run(PredictRequests.denseInput(Spikes.denseRequest("tiny", "", x).build()), 1, 10))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void versionWithAStepGraphLoadsBothSessions() throws Exception {
        TinySurrogate tiny = TinySurrogate.withStepGraph(-70f);
        try (LoadedModel model = loader.load(write(tiny.onnx()), write(tiny.stepOnnx()), version("tiny", 1, tiny.onnx()))) {
            assertThat(model.hasStepGraph()).isTrue();
            assertThat(model.stepGraph().layers()).isEqualTo(1);
            assertThat(model.stepGraph().stateSize(0)).isEqualTo((TinySurrogate.KERNEL - 1) * TinySurrogate.SYNAPSES);
        }
    }

    @Test
    void stepGraphWithoutTheStepMarkIsRejected() throws Exception {
        TinySurrogate tiny = TinySurrogate.withStepGraph(-70f);
        assertThatThrownBy(() -> loader.load(write(tiny.onnx()), write(tiny.unmarkedStepOnnx()), version("unmarked", 1, tiny.onnx())))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model 'unmarked' version 1")
                .hasMessageContaining("ns_graph");
    }

    @Test
    void stepGraphThatIsNotOnnxIsRejected() throws Exception {
        TinySurrogate tiny = TinySurrogate.withStepGraph(-70f);
        assertThatThrownBy(() -> loader.load(write(tiny.onnx()), write("junk".getBytes()), version("junk-step", 2, tiny.onnx())))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model 'junk-step' version 2 step graph");
    }

    @Test
    void sessionSettingsAreCheckedAndCudaNeedsTheGpuBuild() throws Exception {
        assertThatThrownBy(() -> new OnnxModelLoader.SessionSettings(1, 1, true, "tpu", 0))
                .hasMessageContaining("ns.inference.execution-provider must be cpu or cuda, got 'tpu'");
        assertThatThrownBy(() -> new OnnxModelLoader.SessionSettings(1, 0, true, "cpu", 0)).hasMessageContaining("inter-op-threads");
        if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            assertThatThrownBy(() -> new OnnxModelLoader(new OnnxModelLoader.SessionSettings(1, 1, true, "cuda", 0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("-Ponnxruntime-gpu");
        }
        // no arena, two inter-op threads: still the same outputs
        TinySurrogate tiny = TinySurrogate.withOffset(-70f);
        OnnxModelLoader tuned = new OnnxModelLoader(new OnnxModelLoader.SessionSettings(1, 2, false, "cpu", 0));
        float[][][] x = Spikes.random(2, TinySurrogate.SYNAPSES, 30, 0.3, 9);
        try (LoadedModel a = tuned.load(write(tiny.onnx()), version("tiny", 1, tiny.onnx()));
             LoadedModel b = loader.load(write(tiny.onnx()), version("tiny", 1, tiny.onnx()))) {
            Prediction pa = a.run(PredictRequests.denseInput(Spikes.denseRequest("tiny", "", x).build()), 2, 30);
            Prediction pb = b.run(PredictRequests.denseInput(Spikes.denseRequest("tiny", "", x).build()), 2, 30);
            assertThat(pa.somaMv()).containsExactly(pb.somaMv());
        }
    }

    @Test
    void eventsGraphWithoutTheEventsMarkOrWeightsIsRejected() throws Exception {
        TinySurrogate tiny = TinySurrogate.withEventsGraph(-70f);
        assertThatThrownBy(() -> loader.load(write(tiny.onnx()), write(tiny.stepOnnx()), write(tiny.stepOnnx()), version("ev-bad", 3, tiny.onnx())))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model 'ev-bad' version 3: the events graph")
                .hasMessageContaining("ns_graph");
        try (LoadedModel model = loader.load(write(tiny.onnx()), write(tiny.stepOnnx()), write(tiny.eventsOnnx()), version("ev", 1, tiny.onnx()))) {
            assertThat(model.hasEventGraph()).isTrue();
            assertThat(model.eventGraph().layer().kernel()).isEqualTo(TinySurrogate.KERNEL);
            assertThat(model.eventGraph().tail().layers()).isZero();
        }
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "model", ".onnx"), bytes);
    }

    static ModelVersion version(String name, int v, byte[] bytes) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(v).setSha256(Sha256.of(bytes)).setSizeBytes(bytes.length).build();
    }
}

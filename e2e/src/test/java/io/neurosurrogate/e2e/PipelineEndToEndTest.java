package io.neurosurrogate.e2e;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.neurosurrogate.client.IafPipeline;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.client.SurrogateStream;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulateResponse;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole data flow through the gateway with the real broker: campaign -> traces on Kafka ->
 * dataset -> DL4J training -> ONNX -> model event -> inference -> prediction of fresh simulations.
 */
@ExtendWith(LocalStackExtension.class)
class PipelineEndToEndTest {

    @Test
    void trainsAndServesAnIafSurrogateThatPredictsHeldOutSimulations() throws Exception {
        try (NeuroSurrogateClient client = new NeuroSurrogateClient(LocalStackExtension.stack().gatewayAddress(), LocalStackExtension.stack().apiKey())) {
            IafPipeline.Settings settings = new IafPipeline.Settings(
                    Integer.getInteger("ns.e2e.sims", 64), 6000, 7, 8, Integer.getInteger("ns.e2e.epochs", 0), "iaf-reset", "iaf-e2e");
            IafPipeline.Result r = new IafPipeline(client, new IafPipeline.Listener() {
                @Override
                public void stage(String heading) {
                    System.out.println("== " + heading);
                }

                @Override
                public void detail(String line) {
                    System.out.println("   " + line);
                }
            }).run(settings);
            System.out.println(r.resultLine());

            assertThat(r.campaign().getCompleted()).isEqualTo(settings.sims());
            ModelVersion m = r.model();
            assertThat(m.getSha256()).hasSize(64);
            assertThat(m.getCard().getNeuronModel()).isEqualTo("iaf");
            assertThat(m.getCard().getMetrics().getOnnxMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(r.heldOut().spikes()).as("held-out simulations must contain output spikes").isGreaterThan(0);
            assertThat(r.heldOut().auc()).as("held-out spike AUC (paper: 0.9973)").isGreaterThanOrEqualTo(0.98);
            assertThat(r.heldOut().rmseMv()).as("held-out soma RMSE in mV (paper: 1.73)").isLessThanOrEqualTo(2.5);
            // The served model checks the input width against its card.
            PredictRequest wrongWidth = PredictRequest.newBuilder().setModelName("iaf-e2e").setBatch(1).setSynapses(99).setTimeMs(20)
                    .setDenseSpikes(ByteString.copyFrom(new byte[99 * 20 * 4])).build();
            assertThat(GatewayBadInputTest.assertStatus(() -> client.predict(wrongWidth), Status.Code.INVALID_ARGUMENT)).contains("100");
            assertThat(client.listModels()).anySatisfy(v -> {
                assertThat(v.getModelName()).isEqualTo("iaf-e2e");
                assertThat(v.getLoaded()).isTrue();
            });
            streamingThroughTheGatewayEqualsWindowPrediction(client, m);
            PopulationChecks.intervalsGiveTheWindowsSpikes(client, m);
            PopulationChecks.int8PopulationStaysCloseToTheWindow(client, m);
            PopulationChecks.networkCommandRuns(LocalStackExtension.stack().gatewayAddress(), LocalStackExtension.stack().apiKey(), m);
            Brian2CoSimulation.runsAgainst(LocalStackExtension.stack().gatewayAddress(), LocalStackExtension.stack().apiKey(), m);
            aStandardOpenInferenceClientRunsTheServedModel(m);
        }
    }

    /**
     * scripts/oip_client.py, a Python client built from the Open Inference Protocol proto alone (Debian's
     * python3-grpcio and python3-grpc-tools), against the gateway: metadata, ModelInfer over a window, and the same
     * input as a ModelStreamInfer sequence in uneven requests, which must equal the window bin by bin.
     */
    private static void aStandardOpenInferenceClientRunsTheServedModel(ModelVersion m) throws Exception {
        Path script = Path.of("..", "scripts", "oip_client.py").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--target", LocalStackExtension.stack().gatewayAddress(),
                "--model", m.getModelName(), "--version", Integer.toString(m.getVersion())).redirectErrorStream(true);
        pb.environment().put("NS_API_KEY", LocalStackExtension.stack().apiKey()); // the script reads it; never on a command line
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("oip_client.py finished").isTrue();
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("RESULT model=" + m.getModelName()).contains("errors=0");
    }

    /**
     * Two fresh simulations streamed through the gateway in requests of uneven length (1, 7, 50, ...
     * steps) give, bin by bin, the window prediction of the same inputs (max |difference| <= 1e-4),
     * with the first layer dense (the step graph) and event-driven (the events graph).
     */
    private static void streamingThroughTheGatewayEqualsWindowPrediction(NeuroSurrogateClient client, ModelVersion m) {
        assertThat(m.getCard().getStepGraphFile()).isEqualTo("model.step.onnx");
        assertThat(m.getCard().getMetrics().getStepMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(m.getCard().getEventsGraphFile()).isEqualTo("model.events.onnx");
        assertThat(m.getCard().getMetrics().getEventsMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        int time = 400;
        List<SimulationTrace> traces = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SimulateResponse r = client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf").setDurationMs(time).setSeed(4242 + i).build());
            traces.add(SimulationTrace.fromChunks(List.of(r.getTrace())));
        }
        String version = Integer.toString(m.getVersion());
        PredictResponse window = client.predict(m.getModelName(), version, traces);
        int synapses = traces.get(0).synapses();
        for (boolean eventDriven : new boolean[]{false, true}) {
            streamAndCompare(client, m, version, traces, window, synapses, time, eventDriven);
        }
    }

    private static void streamAndCompare(NeuroSurrogateClient client, ModelVersion m, String version, List<SimulationTrace> traces,
                                         PredictResponse window, int synapses, int time, boolean eventDriven) {
        float[][] spikeProb = new float[2][time];
        float[][] somaMv = new float[2][time];
        List<Long> ids = List.of(11L, 12L);
        try (SurrogateStream stream = client.openStream(m.getModelName(), version, eventDriven)) {
            assertThat(stream.opened().getEventDriven()).isEqualTo(eventDriven);
            assertThat(stream.opened().getSynapses()).isEqualTo(synapses);
            assertThat(stream.opened().getSpikeThreshold()).isEqualTo(m.getCard().getMetrics().getThresholdAt0P25Fa(), org.assertj.core.api.Assertions.within(1e-6));
            stream.start(ids);
            int[] chunks = {1, 7, 50, 142, 200};
            int t0 = 0;
            for (int steps : chunks) {
                List<SparseNeuronInput> inputs = new ArrayList<>();
                for (SimulationTrace t : traces) {
                    float[] dense = t.denseInput(t0, steps);
                    SparseNeuronInput.Builder in = SparseNeuronInput.newBuilder();
                    for (int s = 0; s < synapses; s++) {
                        SynapseSpikes.Builder sp = SynapseSpikes.newBuilder().setSynapse(s);
                        for (int b = 0; b < steps; b++) {
                            if (dense[s * steps + b] != 0) {
                                sp.addBins(b);
                            }
                        }
                        if (sp.getBinsCount() > 0) {
                            in.addSynapses(sp);
                        }
                    }
                    inputs.add(in.build());
                }
                StreamStepResult r = stream.step(ids, steps, inputs);
                for (int n = 0; n < 2; n++) {
                    for (int b = 0; b < steps; b++) {
                        spikeProb[n][t0 + b] = r.getSpikeProb(n * steps + b);
                        somaMv[n][t0 + b] = r.getSomaMv(n * steps + b);
                    }
                }
                t0 += steps;
            }
            assertThat(t0).isEqualTo(time);
            stream.end(ids);
        }
        for (int n = 0; n < 2; n++) {
            for (int b = 0; b < time; b++) {
                assertThat((double) Math.abs(spikeProb[n][b] - window.getNeurons(n).getSpikeProb(b)))
                        .as("event-driven %s: spike_prob neuron %d bin %d", eventDriven, n, b).isLessThanOrEqualTo(1e-4);
                assertThat((double) Math.abs(somaMv[n][b] - window.getNeurons(n).getSomaMv(b)))
                        .as("event-driven %s: soma_mv neuron %d bin %d", eventDriven, n, b).isLessThanOrEqualTo(1e-4);
            }
        }
    }
}

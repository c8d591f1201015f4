package io.neurosurrogate.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.gateway.fakes.FakeInference;
import io.neurosurrogate.gateway.fakes.FakeStream;
import io.neurosurrogate.gateway.fakes.Fakes;
import io.neurosurrogate.gateway.fakes.InjectFakes;
import io.neurosurrogate.proto.oip.GRPCInferenceServiceGrpc;
import io.neurosurrogate.proto.oip.InferParameter;
import io.neurosurrogate.proto.oip.InferTensorContents;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelInferRequest.InferInputTensor;
import io.neurosurrogate.proto.oip.ModelInferResponse;
import io.neurosurrogate.proto.oip.ModelMetadataRequest;
import io.neurosurrogate.proto.oip.ModelMetadataResponse;
import io.neurosurrogate.proto.oip.ModelReadyRequest;
import io.neurosurrogate.proto.oip.ModelStreamInferResponse;
import io.neurosurrogate.proto.oip.ServerLiveRequest;
import io.neurosurrogate.proto.oip.ServerMetadataRequest;
import io.neurosurrogate.proto.oip.ServerReadyRequest;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamStep;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.neurosurrogate.gateway.grpc.GatewayChannel.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol v2 as a standard client sees it (stubs generated from our proto alone), against
 * the service doubles: the fake inference service loads iaf-1x1 versions 1 and 2 (80 exc + 20 inh synapses).
 */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class OpenInferenceTest extends GatewayChannelPerTest {
    private static final int SYNAPSES = 100;

    @InjectFakes
    Fakes fakes;

    @BeforeEach
    void defaultModels() {
        fakes.inference.loaded.set(FakeInference.DEFAULT_LOADED);
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip() {
        return GRPCInferenceServiceGrpc.newBlockingStub(gateway.channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void theServerIsLiveAndReadyAndNamesItself() {
        assertThat(oip().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(oip().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(oip().serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("neurosurrogate");
        assertThat(oip().serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList()).contains("sequence");
    }

    @Test
    void aModelIsReadyWhenItsVersionIsLoaded() {
        assertThat(oip().modelReady(ModelReadyRequest.newBuilder().setName("iaf-1x1").build()).getReady()).isTrue();
        assertThat(oip().modelReady(ModelReadyRequest.newBuilder().setName("iaf-1x1").setVersion("1").build()).getReady()).isTrue();
        assertThat(oip().modelReady(ModelReadyRequest.newBuilder().setName("iaf-1x1").setVersion("7").build()).getReady()).isFalse();
        assertThat(oip().modelReady(ModelReadyRequest.newBuilder().setName("no-such-model").build()).getReady()).isFalse();
        assertThat(statusOf(() -> oip().modelReady(ModelReadyRequest.newBuilder().setName("iaf-1x1").setVersion("v1").build())).getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void metadataListsTheTensorsWithVariableDimensionsTheVersionsAndTheModelCard() {
        ModelMetadataResponse m = oip().modelMetadata(ModelMetadataRequest.newBuilder().setName("iaf-1x1").build());

        assertThat(m.getName()).isEqualTo("iaf-1x1");
        assertThat(m.getVersionsList()).containsExactly("1", "2");
        assertThat(m.getPlatform()).isEqualTo("onnxruntime_onnx");
        assertThat(m.getInputsList()).singleElement().satisfies(in -> {
            assertThat(in.getName()).isEqualTo("spikes");
            assertThat(in.getDatatype()).isEqualTo("FP32");
            assertThat(in.getShapeList()).containsExactly(-1L, (long) SYNAPSES, -1L);
        });
        assertThat(m.getOutputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName).containsExactly("spike_prob", "soma_mv");
        assertThat(m.getOutputs(0).getShapeList()).containsExactly(-1L, -1L);
        assertThat(m.getParametersMap().get("version").getStringParam()).isEqualTo("2");
        assertThat(m.getParametersMap().get("n_exc").getInt64Param()).isEqualTo(80);
        assertThat(m.getParametersMap().get("model_card_json").getStringParam()).contains("\"nExc\":80");

        Status unknown = statusOf(() -> oip().modelMetadata(ModelMetadataRequest.newBuilder().setName("no-such-model").build()));
        assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknown.getDescription()).contains("no-such-model").contains("iaf-1x1/2");
    }

    @Test
    void aRawFp32WindowIsForwardedAsSparseSpikesAndAnsweredAsRawTensors() {
        int batch = 2;
        int time = 20;
        float[] spikes = new float[batch * SYNAPSES * time];
        spikes[index(0, 3, 5, time)] = 1;
        spikes[index(1, 99, 19, time)] = 1;
        ModelInferRequest request = infer("iaf-1x1", "1", "FP32", batch, time).setId("req-7")
                .addRawInputContents(fp32(spikes)).build();

        ModelInferResponse response = oip().modelInfer(request);

        PredictRequest forwarded = fakes.inference.predicted.get(fakes.inference.predicted.size() - 1);
        assertThat(forwarded.getModelName()).isEqualTo("iaf-1x1");
        assertThat(forwarded.getVersion()).isEqualTo("1");
        assertThat(forwarded.getBatch()).isEqualTo(batch);
        assertThat(forwarded.getSynapses()).isEqualTo(SYNAPSES);
        assertThat(forwarded.getTimeMs()).isEqualTo(time);
        assertThat(forwarded.getPacked()).isEqualTo(new SpikePacking.Builder(batch, time).add(0, 5, 3).add(1, 19, 99).build());

        assertThat(response.getId()).isEqualTo("req-7");
        assertThat(response.getModelName()).isEqualTo("iaf-1x1");
        assertThat(response.getModelVersion()).isEqualTo("1");
        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName).containsExactly("spike_prob", "soma_mv");
        assertThat(response.getOutputs(0).getShapeList()).containsExactly((long) batch, (long) time);
        assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
        float[] prob = floats(response.getRawOutputContents(0));
        float[] soma = floats(response.getRawOutputContents(1));
        assertThat(prob).hasSize(batch * time).containsOnly(0.01f); // the fake's answer
        assertThat(soma).hasSize(batch * time).containsOnly(-70f);
    }

    @Test
    void typedBoolContentsWorkAndOnlyTheRequestedOutputComesBack() {
        int time = 4;
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < SYNAPSES * time; i++) {
            contents.addBoolContents(i == 7);
        }
        ModelInferRequest.Builder request = infer("iaf-1x1", "", "BOOL", 1, time);
        request.getInputsBuilder(0).setContents(contents);
        request.addOutputsBuilder().setName("soma_mv");

        ModelInferResponse response = oip().modelInfer(request.build());

        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName).containsExactly("soma_mv");
        assertThat(response.getModelVersion()).isEqualTo("2");
        PredictRequest forwarded = fakes.inference.predicted.get(fakes.inference.predicted.size() - 1);
        assertThat(forwarded.getPacked()).isEqualTo(new SpikePacking.Builder(1, time).add(0, 3, 1).build());
    }

    @Test
    void badInputGetsInvalidArgumentOrNotFoundAndNeverReachesTheInferenceService() {
        int before = fakes.inference.predicted.size();
        float[] nan = new float[SYNAPSES * 3];
        nan[4] = Float.NaN;
        float[] two = new float[SYNAPSES * 3];
        two[5] = 2;
        ModelInferRequest.Builder noInput = infer("iaf-1x1", "", "FP32", 1, 3).clearInputs();
        ModelInferRequest.Builder twoInputs = infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3]));
        twoInputs.addInputs(twoInputs.getInputs(0)).addRawInputContents(fp32(new float[SYNAPSES * 3]));
        ModelInferRequest.Builder wrongName = infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3]));
        wrongName.getInputsBuilder(0).setName("voltage");
        ModelInferRequest.Builder sequence = infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3]))
                .putParameters("sequence_id", InferParameter.newBuilder().setInt64Param(3).build());
        ModelInferRequest.Builder unknownOutput = infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3]));
        unknownOutput.addOutputsBuilder().setName("dendrites");

        expect(infer("iaf-1x1", "", "BYTES", 1, 3).addRawInputContents(ByteString.copyFrom(new byte[SYNAPSES * 3])), Status.Code.INVALID_ARGUMENT, "datatype");
        expect(infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3 - 1])), Status.Code.INVALID_ARGUMENT, "bytes");
        expect(infer("iaf-1x1", "", "FP32", 1, 3), Status.Code.INVALID_ARGUMENT, "fp32_contents holds 0 values");
        expect(infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(nan)), Status.Code.INVALID_ARGUMENT, "not finite");
        expect(infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(two)), Status.Code.INVALID_ARGUMENT, "[0, 1, 2] is 2.0");
        expect(infer("iaf-1x1", "", "FP32", 1, 3, 99).addRawInputContents(fp32(new float[99 * 3])), Status.Code.INVALID_ARGUMENT, "takes 100");
        expect(noInput, Status.Code.INVALID_ARGUMENT, "exactly one input");
        expect(twoInputs, Status.Code.INVALID_ARGUMENT, "exactly one input");
        expect(wrongName, Status.Code.INVALID_ARGUMENT, "its input is 'spikes'");
        expect(sequence, Status.Code.INVALID_ARGUMENT, "ModelStreamInfer");
        expect(unknownOutput, Status.Code.INVALID_ARGUMENT, "no output 'dendrites'");
        expect(infer("no-such-model", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3])), Status.Code.NOT_FOUND, "no-such-model");
        expect(infer("iaf-1x1", "9", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3])), Status.Code.NOT_FOUND, "version 9");
        expect(infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3])).setModelName(""), Status.Code.INVALID_ARGUMENT, "model name");

        assertThat(fakes.inference.predicted).hasSize(before);
        // and the gateway goes on serving
        assertThat(oip().modelInfer(infer("iaf-1x1", "", "FP32", 1, 3).addRawInputContents(fp32(new float[SYNAPSES * 3])).build())
                .getOutputsCount()).isEqualTo(2);
    }

    @Test
    void aSequenceKeepsOneInferenceStreamAndItsAnswersComeInRequestOrder() throws Exception {
        Received<ModelStreamInferResponse> responses = new Received<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel).modelStreamInfer(responses);
        float[] spikes = new float[SYNAPSES * 3];
        spikes[index(0, 10, 1, 3)] = 1;

        requests.onNext(step("a", 42, true, false, spikes, 3));
        requests.onNext(step("b", 42, false, false, new float[SYNAPSES * 2], 2));
        requests.onNext(step("c", 8, false, false, new float[SYNAPSES * 2], 2)); // never started
        requests.onNext(infer("iaf-1x1", "", "FP32", 1, 2).setId("window").addRawInputContents(fp32(new float[SYNAPSES * 2])).build());
        requests.onNext(step("d", 42, false, true, new float[SYNAPSES], 1));
        requests.onNext(step("e", 42, false, false, new float[SYNAPSES], 1)); // ended

        List<ModelStreamInferResponse> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(responses.next());
        }
        requests.onCompleted();
        assertThat(responses.status().getCode()).isEqualTo(Status.Code.OK);

        assertThat(got.get(0).getErrorMessage()).isEmpty();
        ModelInferResponse a = got.get(0).getInferResponse();
        assertThat(a.getId()).isEqualTo("a");
        assertThat(a.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
        assertThat(a.getParametersMap().get("sequence_id").getInt64Param()).isEqualTo(42);
        // the fake answers spike_prob = its sequence id + step; the gateway numbered this sequence 1
        assertThat(floats(a.getRawOutputContents(0))).containsExactly(1f, 2f, 3f);
        assertThat(got.get(1).getInferResponse().getId()).isEqualTo("b");
        assertThat(floats(got.get(1).getInferResponse().getRawOutputContents(0))).containsExactly(1f, 2f);
        assertThat(got.get(2).getErrorMessage()).startsWith("INVALID_ARGUMENT").contains("#8 is not started");
        assertThat(got.get(3).getInferResponse().getId()).isEqualTo("window");
        assertThat(got.get(4).getInferResponse().getId()).isEqualTo("d");
        assertThat(got.get(5).getErrorMessage()).contains("#42 is not started");

        FakeStream downstream = fakes.inference.streams.get(fakes.inference.streams.size() - 1);
        List<StreamRequest> sent = downstream.requests;
        assertThat(sent).extracting(StreamRequest::getKindCase).containsExactly(StreamRequest.KindCase.OPEN, StreamRequest.KindCase.START,
                StreamRequest.KindCase.STEP, StreamRequest.KindCase.STEP, StreamRequest.KindCase.STEP, StreamRequest.KindCase.END);
        assertThat(sent.get(0).getOpen().getVersion()).isEqualTo("2");
        StreamStep step = sent.get(2).getStep();
        assertThat(step.getPacked()).isEqualTo(new SpikePacking.Builder(1, step.getSteps()).add(0, 1, 10).build());
    }

    @Test
    void aBadSequenceRequestIsAnsweredWithAnErrorAndTheStreamGoesOn() throws Exception {
        Received<ModelStreamInferResponse> responses = new Received<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel).modelStreamInfer(responses);
        float[] nan = new float[SYNAPSES * 2];
        nan[0] = Float.POSITIVE_INFINITY;

        requests.onNext(step("start", 5, true, false, new float[SYNAPSES], 1));
        requests.onNext(step("inf", 5, false, false, nan, 2));
        requests.onNext(step("again", 5, true, false, new float[SYNAPSES], 1));
        requests.onNext(step("batch2", 5, false, false, new float[2 * SYNAPSES], 1, 2));
        requests.onNext(step("ok", 5, false, false, new float[SYNAPSES], 1));

        assertThat(responses.next().getErrorMessage()).isEmpty();
        assertThat(responses.next().getErrorMessage()).contains("not finite");
        assertThat(responses.next().getErrorMessage()).contains("already started");
        assertThat(responses.next().getErrorMessage()).contains("one neuron");
        ModelStreamInferResponse ok = responses.next();
        assertThat(ok.getErrorMessage()).isEmpty();
        assertThat(ok.getInferResponse().getId()).isEqualTo("ok");
        requests.onCompleted();
        assertThat(responses.status().getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void moreSequencesThanTheInferenceStreamHoldsAreRefusedOneByOne() throws Exception {
        Received<ModelStreamInferResponse> responses = new Received<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel).modelStreamInfer(responses);
        requests.onNext(step("first", 1, true, false, new float[SYNAPSES], 1));
        assertThat(responses.next().getErrorMessage()).isEmpty(); // the stream is open: its limit is known

        for (int s = 2; s <= FakeStream.MAX_SEQUENCES + 1; s++) {
            requests.onNext(step("s" + s, s, true, false, new float[SYNAPSES], 1));
        }
        for (int s = 2; s <= FakeStream.MAX_SEQUENCES; s++) {
            assertThat(responses.next().getErrorMessage()).isEmpty();
        }
        assertThat(responses.next().getErrorMessage()).startsWith("RESOURCE_EXHAUSTED");
        requests.onNext(step("still", 1, false, false, new float[SYNAPSES], 1));
        assertThat(responses.next().getInferResponse().getId()).isEqualTo("still");
        requests.onCompleted();
        assertThat(responses.status().getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void theEventDrivenParameterOpensAnEventDrivenInferenceStreamBesideTheDenseOne() throws Exception {
        Received<ModelStreamInferResponse> responses = new Received<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel).modelStreamInfer(responses);
        int before = fakes.inference.streams.size();

        requests.onNext(step("dense", 1, true, false, new float[SYNAPSES], 1));
        requests.onNext(step("events", 1, true, false, new float[SYNAPSES], 1).toBuilder()
                .putParameters("event_driven", InferParameter.newBuilder().setBoolParam(true).build()).build());
        assertThat(responses.next().getErrorMessage()).isEmpty();
        assertThat(responses.next().getErrorMessage()).as("sequence 1 of the event-driven stream is another sequence").isEmpty();
        requests.onCompleted();
        assertThat(responses.status().getCode()).isEqualTo(Status.Code.OK);

        List<FakeStream> opened = fakes.inference.streams.subList(before, fakes.inference.streams.size());
        assertThat(opened).extracting(s -> s.requests.get(0).getOpen().getEventDriven()).containsExactlyInAnyOrder(false, true);
    }

    @Test
    void thePrecisionParameterOpensAnInt8InferenceStreamAndABadOneIsAnErrorOfItsRequest() throws Exception {
        Received<ModelStreamInferResponse> responses = new Received<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel).modelStreamInfer(responses);
        int before = fakes.inference.streams.size();

        requests.onNext(step("int8", 1, true, false, new float[SYNAPSES], 1).toBuilder()
                .putParameters("precision", InferParameter.newBuilder().setStringParam("int8").build()).build());
        requests.onNext(step("fp16", 2, true, false, new float[SYNAPSES], 1).toBuilder()
                .putParameters("precision", InferParameter.newBuilder().setStringParam("fp16").build()).build());
        assertThat(responses.next().getErrorMessage()).isEmpty();
        assertThat(responses.next().getErrorMessage()).contains("precision must be the string parameter 'fp32' or 'int8', got 'fp16'");
        requests.onCompleted();
        assertThat(responses.status().getCode()).isEqualTo(Status.Code.OK);

        List<FakeStream> opened = fakes.inference.streams.subList(before, fakes.inference.streams.size());
        assertThat(opened).extracting(s -> s.requests.get(0).getOpen().getPrecision()).containsExactly("int8");
    }

    private static ModelInferRequest step(String id, long sequence, boolean start, boolean end, float[] spikes, int time) {
        return step(id, sequence, start, end, spikes, time, 1);
    }

    private static ModelInferRequest step(String id, long sequence, boolean start, boolean end, float[] spikes, int time, int batch) {
        ModelInferRequest.Builder r = infer("iaf-1x1", "", "FP32", batch, time).setId(id).addRawInputContents(fp32(spikes))
                .putParameters("sequence_id", InferParameter.newBuilder().setInt64Param(sequence).build());
        if (start) {
            r.putParameters("sequence_start", InferParameter.newBuilder().setBoolParam(true).build());
        }
        if (end) {
            r.putParameters("sequence_end", InferParameter.newBuilder().setBoolParam(true).build());
        }
        return r.build();
    }

    private void expect(ModelInferRequest.Builder request, Status.Code code, String inMessage) {
        Status status = statusOf(() -> oip().modelInfer(request.build()));
        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        assertThat(status.getDescription()).contains(inMessage);
    }

    private static ModelInferRequest.Builder infer(String model, String version, String datatype, int batch, int time) {
        return infer(model, version, datatype, batch, time, SYNAPSES);
    }

    private static ModelInferRequest.Builder infer(String model, String version, String datatype, int batch, int time, int synapses) {
        return ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version)
                .addInputs(InferInputTensor.newBuilder().setName("spikes").setDatatype(datatype).addShape(batch).addShape(synapses).addShape(time));
    }

    private static int index(int neuron, int synapse, int t, int time) {
        return (neuron * SYNAPSES + synapse) * time + t;
    }

    private static ByteString fp32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        return ByteString.copyFrom(b);
    }

    private static float[] floats(ByteString raw) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.size() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}

package io.neurosurrogate.gateway.oip;

import com.google.protobuf.ByteString;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelInferResponse;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.StreamStepResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Function;

/**
 * Surrogate outputs as OIP output tensors: FP32 [batch, time], row-major little-endian in
 * raw_output_contents (as Triton answers; its and KServe's clients read them from there).
 */
public final class InferResponses {

    private InferResponses() {
    }

    /** A window's outputs: one row per neuron of the Predict response. */
    public static ModelInferResponse window(ModelInferRequest request, SurrogateSignature model, PredictResponse predicted, int time) {
        ModelInferResponse.Builder out = header(request, predicted.getModelName(), predicted.getVersion());
        int batch = predicted.getNeuronsCount();
        for (String name : model.requestedOutputs(request)) {
            Function<NeuronPrediction, List<Float>> values = column(model, name);
            ByteBuffer raw = ByteBuffer.allocate(batch * time * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (NeuronPrediction neuron : predicted.getNeuronsList()) {
                List<Float> row = values.apply(neuron);
                for (int t = 0; t < time; t++) {
                    raw.putFloat(t < row.size() ? row.get(t) : Float.NaN);
                }
            }
            addOutput(out, name, batch, time, raw);
        }
        return out.build();
    }

    /** One sequence's steps from a Stream step: a [1, steps] row per output. */
    public static ModelInferResponse steps(ModelInferRequest request, SurrogateSignature model, int version, StreamStepResult step) {
        ModelInferResponse.Builder out = header(request, model.modelName(), version);
        int steps = step.getSteps();
        for (String name : model.requestedOutputs(request)) {
            List<Float> values = name.equals(model.outputs().get(0)) ? step.getSpikeProbList()
                    : name.equals(model.outputs().get(1)) ? step.getSomaMvList() : step.getNexusMvList();
            ByteBuffer raw = ByteBuffer.allocate(steps * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < steps; t++) {
                raw.putFloat(t < values.size() ? values.get(t) : Float.NaN);
            }
            addOutput(out, name, 1, steps, raw);
        }
        out.putParameters(SequenceControl.SEQUENCE_ID, request.getParametersOrThrow(SequenceControl.SEQUENCE_ID));
        return out.build();
    }

    private static Function<NeuronPrediction, List<Float>> column(SurrogateSignature model, String name) {
        if (name.equals(model.outputs().get(0))) {
            return NeuronPrediction::getSpikeProbList;
        }
        if (name.equals(model.outputs().get(1))) {
            return NeuronPrediction::getSomaMvList;
        }
        return NeuronPrediction::getNexusMvList;
    }

    private static ModelInferResponse.Builder header(ModelInferRequest request, String modelName, int version) {
        return ModelInferResponse.newBuilder().setModelName(modelName).setModelVersion(Integer.toString(version)).setId(request.getId());
    }

    private static void addOutput(ModelInferResponse.Builder out, String name, int rows, int time, ByteBuffer raw) {
        out.addOutputsBuilder().setName(name).setDatatype("FP32").addShape(rows).addShape(time);
        raw.flip();
        out.addRawOutputContents(ByteString.copyFrom(raw));
    }
}

package io.neurosurrogate.gateway.oip;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.oip.InferParameter;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelMetadataResponse;
import io.neurosurrogate.proto.oip.ModelMetadataResponse.TensorMetadata;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded model version as the Open Inference Protocol sees it: one input [batch, synapses, time] and two or
 * three outputs [batch, time], named as in its model card. Batch and time are free (-1 in the metadata):
 * any number of neurons, any window length.
 */
public record SurrogateSignature(String modelName, int version, String input, int synapses, List<String> outputs, ModelCard card) {
    static final String DEFAULT_INPUT = "spikes";
    static final String DEFAULT_SPIKE_OUTPUT = "spike_prob";
    static final String DEFAULT_VOLTAGE_OUTPUT = "soma_mv";
    public static final String PLATFORM = "onnxruntime_onnx";

    public static SurrogateSignature of(ModelVersion model) {
        ModelCard card = model.getCard();
        List<String> outputs = new ArrayList<>();
        outputs.add(orDefault(card.getSpikeOutputName(), DEFAULT_SPIKE_OUTPUT));
        outputs.add(orDefault(card.getVoltageOutputName(), DEFAULT_VOLTAGE_OUTPUT));
        if (!card.getDendriteOutputName().isEmpty()) {
            outputs.add(card.getDendriteOutputName());
        }
        return new SurrogateSignature(model.getModelName(), model.getVersion(), orDefault(card.getInputName(), DEFAULT_INPUT),
                card.getNExc() + card.getNInh(), List.copyOf(outputs), card);
    }

    /** INVALID_ARGUMENT unless the request brings exactly this model's one input, in contents or raw, not both. */
    public void requireSingleInput(ModelInferRequest request) {
        if (request.getInputsCount() != 1) {
            throw DomainException.invalid("model '" + modelName + "' takes exactly one input, '" + input + "' [batch, " + synapses
                    + ", time]; the request has " + request.getInputsCount());
        }
        if (!request.getInputs(0).getName().equals(input)) {
            throw DomainException.invalid("model '" + modelName + "' has no input '" + request.getInputs(0).getName()
                    + "'; its input is '" + input + "'");
        }
        if (request.getRawInputContentsCount() > 0 && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw DomainException.invalid("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs");
        }
        if (request.getRawInputContentsCount() > 0 && request.getInputs(0).hasContents()) {
            throw DomainException.invalid("input '" + input + "' is in both contents and raw_input_contents; send it in one");
        }
    }

    /** The synapse count the input must have (0: the card does not say, the inference service checks). */
    public void requireSynapses(SpikeTensor spikes) {
        if (synapses > 0 && spikes.synapses() != synapses) {
            throw DomainException.invalid("input '" + input + "' has " + spikes.synapses() + " synapses; model '" + modelName
                    + "' version " + version + " takes " + synapses + " (" + card.getNExc() + " excitatory, then " + card.getNInh()
                    + " inhibitory)");
        }
    }

    /** The outputs the request asks for, in the order asked (all, in the model's order, when it asks for none). */
    public List<String> requestedOutputs(ModelInferRequest request) {
        if (request.getOutputsCount() == 0) {
            return outputs;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : request.getOutputsList()) {
            if (!outputs.contains(o.getName())) {
                throw DomainException.invalid("model '" + modelName + "' has no output '" + o.getName() + "'; its outputs are "
                        + String.join(", ", outputs));
            }
            wanted.add(o.getName());
        }
        return List.copyOf(wanted);
    }

    /** ModelMetadata: the tensors, the loaded versions of the model, and its model card as parameters. */
    public ModelMetadataResponse metadata(List<Integer> loadedVersions, int maxStepsPerRequest) {
        ModelMetadataResponse.Builder m = ModelMetadataResponse.newBuilder().setName(modelName).setPlatform(PLATFORM);
        loadedVersions.stream().sorted().forEach(v -> m.addVersions(Integer.toString(v)));
        m.addInputs(TensorMetadata.newBuilder().setName(input).setDatatype("FP32").addShape(-1).addShape(synapses > 0 ? synapses : -1).addShape(-1));
        for (String o : outputs) {
            m.addOutputs(TensorMetadata.newBuilder().setName(o).setDatatype("FP32").addShape(-1).addShape(-1));
        }
        m.putParameters("version", string(Integer.toString(version)));
        m.putParameters("neuron_model", string(card.getNeuronModel()));
        m.putParameters("n_exc", int64(card.getNExc()));
        m.putParameters("n_inh", int64(card.getNInh()));
        m.putParameters("synapse_order", string(card.getSynapseOrder()));
        m.putParameters("dt_ms", InferParameter.newBuilder().setDoubleParam(card.getDtMs()).build());
        m.putParameters("receptive_field_ms", int64(card.getReceptiveFieldMs()));
        m.putParameters("spike_threshold", InferParameter.newBuilder().setDoubleParam(card.getMetrics().getThresholdAt0P25Fa()).build());
        m.putParameters("stateful", InferParameter.newBuilder().setBoolParam(!card.getStepGraphFile().isEmpty()).build());
        m.putParameters("max_steps_per_request", int64(maxStepsPerRequest));
        try {
            m.putParameters("model_card_json", string(JsonFormat.printer().omittingInsignificantWhitespace().print(card)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("model card not printable as JSON", e);
        }
        return m.build();
    }

    private static InferParameter string(String s) {
        return InferParameter.newBuilder().setStringParam(s).build();
    }

    private static InferParameter int64(long v) {
        return InferParameter.newBuilder().setInt64Param(v).build();
    }

    private static String orDefault(String s, String fallback) {
        return s.isEmpty() ? fallback : s;
    }
}

package io.neurosurrogate.gateway.validation;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.core.model.VersionAliases;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Matches a Predict request against the model versions an inference service has loaded. */
public final class ServedModels {

    private ServedModels() {
    }

    /**
     * The loaded version the request addresses ({@link VersionAliases}: "" and "latest" the highest loaded
     * version, "champion" the best test AUC, otherwise the exact version). Empty when it is not loaded.
     */
    public static Optional<ModelVersion> find(PredictRequest request, List<ModelVersion> loaded) {
        List<ModelVersion> versions = loaded.stream().filter(m -> m.getModelName().equals(request.getModelName())).toList();
        return Optional.ofNullable(VersionAliases.pick(request.getVersion(), versions, ModelVersion::getVersion, ModelVersion::getCard));
    }

    /** NOT_FOUND naming what is loaded, so that the caller can pick another model. */
    public static DomainException notLoaded(PredictRequest request, List<ModelVersion> loaded) {
        String version = request.getVersion().isEmpty() ? "latest" : request.getVersion();
        String available = loaded.isEmpty() ? "none"
                : loaded.stream().map(m -> m.getModelName() + "/" + m.getVersion()).sorted().collect(Collectors.joining(", "));
        return DomainException.notFound("model '" + request.getModelName() + "' version " + version
                + " is not loaded in the inference service; loaded: " + available);
    }

    /**
     * Checks the request's synapse count against the model card (n_exc + n_inh). A card without synapse
     * counts is left to the inference service, which knows the ONNX input shape.
     */
    public static void requireCompatible(PredictRequest request, ModelVersion model) {
        int synapses = model.getCard().getNExc() + model.getCard().getNInh();
        if (synapses > 0) {
            PredictRequests.validateFor(request, synapses);
        }
    }
}

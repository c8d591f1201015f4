package io.neurosurrogate.gateway.oip;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.core.model.VersionAliases;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.gateway.routing.LoadedModels;
import io.neurosurrogate.gateway.routing.PredictRouter;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelInferResponse;
import io.neurosurrogate.proto.oip.ModelMetadataResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.PredictRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The Open Inference Protocol's unary methods over the inference service: which models are ready, their
 * metadata, and stateless inference (one window per neuron of the batch, through the same checks and routing
 * as the project's own Predict).
 */
@Singleton
public class OpenInference {
    private final LoadedModels loadedModels;
    private final PredictRouter predictRouter;
    private final int maxStepsPerRequest;

    @Inject
    public OpenInference(LoadedModels loadedModels, PredictRouter predictRouter, GatewayConfig config) {
        this.loadedModels = loadedModels;
        this.predictRouter = predictRouter;
        this.maxStepsPerRequest = config.stream().maxStepsPerRequest();
    }

    public int maxStepsPerRequest() {
        return maxStepsPerRequest;
    }

    /** The loaded version a request addresses ("" = the latest); NOT_FOUND naming what is loaded otherwise. */
    public ListenableFuture<SurrogateSignature> resolve(String modelName, String version) {
        if (modelName.isEmpty()) {
            throw DomainException.invalid("model name is empty");
        }
        VersionAliases.validate(version, "model version");
        return Futures.transform(predictRouter.resolve(PredictRequest.newBuilder().setModelName(modelName).setVersion(version).build()),
                SurrogateSignature::of, MoreExecutors.directExecutor());
    }

    /** ModelInfer without sequence parameters: every neuron of the batch from zero state over the window. */
    public ListenableFuture<ModelInferResponse> infer(ModelInferRequest request) {
        if (SequenceControl.of(request.getParametersMap()).present()) {
            throw DomainException.invalid("sequence_id: a stateful sequence runs over ModelStreamInfer, which keeps the neuron's"
                    + " state between requests; ModelInfer is stateless");
        }
        Executor inCallersContext = Context.current().fixedContextExecutor(MoreExecutors.directExecutor());
        return Futures.transformAsync(resolve(request.getModelName(), request.getModelVersion()), model -> {
            SpikeTensor spikes = decode(request, model);
            model.requestedOutputs(request); // refuse an unknown output before the work is done
            // The resolved version, not the alias: the outputs are named after this version's card.
            PredictRequest predict = PredictRequest.newBuilder().setModelName(model.modelName()).setVersion(Integer.toString(model.version()))
                    .setBatch(spikes.batch()).setSynapses(spikes.synapses()).setTimeMs(spikes.time()).setPacked(spikes.packed()).build();
            return Futures.transform(predictRouter.predict(predict),
                    predicted -> InferResponses.window(request, model, predicted, spikes.time()), MoreExecutors.directExecutor());
        }, inCallersContext);
    }

    /** The request's spike input, checked against the model's input name and synapse count. */
    static SpikeTensor decode(ModelInferRequest request, SurrogateSignature model) {
        model.requireSingleInput(request);
        SpikeTensor spikes = SpikeTensor.decode(request.getInputs(0),
                request.getRawInputContentsCount() > 0 ? request.getRawInputContents(0) : null, PredictRequests.MAX_ELEMENTS);
        model.requireSynapses(spikes);
        return spikes;
    }

    public ListenableFuture<ModelMetadataResponse> metadata(String modelName, String version) {
        return Futures.transformAsync(resolve(modelName, version), model -> Futures.transform(loadedModels.current(), loaded -> {
            List<Integer> versions = loaded.stream().filter(m -> m.getModelName().equals(modelName)).map(ModelVersion::getVersion).toList();
            return model.metadata(versions, maxStepsPerRequest);
        }, MoreExecutors.directExecutor()), MoreExecutors.directExecutor());
    }

    /** True when the addressed version is loaded; false when it is not (or nothing answers). */
    public ListenableFuture<Boolean> modelReady(String modelName, String version) {
        ListenableFuture<Boolean> ready = Futures.transform(resolve(modelName, version), m -> true, MoreExecutors.directExecutor());
        return Futures.catching(ready, DomainException.class, e -> {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }, MoreExecutors.directExecutor());
    }

    /** Ready when the inference service answers with its list of loaded models. */
    public ListenableFuture<Boolean> serverReady() {
        return Futures.catching(Futures.transform(loadedModels.current(), loaded -> true, MoreExecutors.directExecutor()),
                Exception.class, e -> false, MoreExecutors.directExecutor());
    }
}

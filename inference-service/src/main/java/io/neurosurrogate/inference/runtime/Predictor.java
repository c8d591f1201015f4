package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.FloatBuffer;

/**
 * Answers a PredictRequest: validates it (never trusting the gateway), resolves the model version,
 * runs it, and cuts the [batch, time] outputs into one NeuronPrediction per neuron.
 */
@Singleton
public class Predictor {
    private final ModelRegistry registry;

    @Inject
    public Predictor(ModelRegistry registry) {
        this.registry = registry;
    }

    public PredictResponse predict(PredictRequest request) {
        PredictRequests.validate(request);
        LoadedModel model = registry.resolve(request.getModelName(), request.getVersion());
        PredictRequests.validateFor(request, model.synapses());
        FloatBuffer input = PredictRequests.denseInput(request);
        Prediction p = model.run(input, request.getBatch(), request.getTimeMs());
        return toResponse(model, p);
    }

    static PredictResponse toResponse(LoadedModel model, Prediction p) {
        PredictResponse.Builder out = PredictResponse.newBuilder()
                .setModelName(model.name())
                .setVersion(model.versionNumber())
                .setComputeMs(p.computeMs());
        int time = p.time();
        float threshold = (float) model.spikeThreshold();
        float[] spikes = p.spikeProb();
        float[] soma = p.somaMv();
        for (int n = 0; n < p.batch(); n++) {
            NeuronPrediction.Builder neuron = NeuronPrediction.newBuilder();
            int base = n * time;
            for (int t = 0; t < time; t++) {
                float prob = spikes[base + t];
                neuron.addSpikeProb(prob);
                neuron.addSomaMv(soma[base + t]);
                if (prob >= threshold) {
                    neuron.addSpikeBins(t);
                }
            }
            out.addNeurons(neuron);
        }
        return out.build();
    }
}

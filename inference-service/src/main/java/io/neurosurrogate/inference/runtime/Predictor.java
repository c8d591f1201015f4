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
 * runs it through the {@link PredictBatcher} (which may merge it with concurrent requests for the same
 * version and time_ms), and cuts the [batch, time] outputs into one NeuronPrediction per neuron.
 * A merged request's compute_ms is the time of the whole run, shared by every request merged into it.
 */
@Singleton
public class Predictor {
    private final ModelRegistry registry;
    private final PredictBatcher batcher;

    /** Batching off: one ONNX Runtime run per request. */
    public Predictor(ModelRegistry registry) {
        this(registry, PredictBatcher.disabled());
    }

    @Inject
    public Predictor(ModelRegistry registry, PredictBatcher batcher) {
        this.registry = registry;
        this.batcher = batcher;
    }

    public PredictResponse predict(PredictRequest request) {
        PredictRequests.validate(request);
        LoadedModel model = registry.resolve(request.getModelName(), request.getVersion());
        PredictRequests.validateFor(request, model.synapses());
        FloatBuffer input = PredictRequests.denseInput(request);
        // validation stays per request, before batching: a bad request fails alone and never joins a merged run
        Prediction p = batcher.run(model, input, request.getBatch(), request.getTimeMs());
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
        float[] nexus = p.nexusMv();
        for (int n = 0; n < p.batch(); n++) {
            NeuronPrediction.Builder neuron = NeuronPrediction.newBuilder();
            int base = n * time;
            for (int t = 0; t < time; t++) {
                float prob = spikes[base + t];
                neuron.addSpikeProb(prob);
                neuron.addSomaMv(soma[base + t]);
                if (nexus != null) {
                    neuron.addNexusMv(nexus[base + t]);
                }
                if (prob >= threshold) {
                    neuron.addSpikeBins(t);
                }
            }
            out.addNeurons(neuron);
        }
        return out.build();
    }
}

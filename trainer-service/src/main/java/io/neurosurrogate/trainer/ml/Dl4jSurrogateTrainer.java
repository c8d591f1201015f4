package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.eval.SimulationPrediction;
import io.neurosurrogate.trainer.eval.SurrogateEvaluator;
import io.neurosurrogate.trainer.onnx.OnnxExporter;
import io.neurosurrogate.trainer.onnx.OnnxNetwork;
import io.neurosurrogate.trainer.onnx.OnnxParity;
import io.neurosurrogate.trainer.onnx.OnnxRuntimeModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link SurrogateTrainer} with DeepLearning4J: split -> normalise -> train (best validation AUC,
 * early stopping) -> evaluate on the test simulations -> export ONNX with the model card -> check
 * ONNX Runtime against DL4J on held-out windows. Stateless: every call builds its own network, so
 * one bean serves the job queue's worker thread(s).
 */
@ApplicationScoped
public class Dl4jSurrogateTrainer implements SurrogateTrainer {
    public static final String FRAMEWORK = "deeplearning4j 1.0.0-M2.1";
    private static final Logger LOG = Logger.getLogger(Dl4jSurrogateTrainer.class);
    private static final int PARITY_WINDOWS = 4;

    public Dl4jSurrogateTrainer() {
    }

    @Override
    public TrainedModel train(String datasetId, List<SimulationTrace> simulations, TrainingJobSpec spec, TrainingListener listener,
                              java.nio.file.Path workDir) {
        TrainingSettings settings = TrainingSettings.from(spec.getConfig());
        SurrogateArchitecture architecture = SurrogateArchitecture.resolve(spec.getArchitecture());
        DatasetShape shape = DatasetShape.of(simulations);
        DatasetSplit split = DatasetSplit.of(simulations, settings.validationFraction(), settings.testFraction(), settings.seed());
        VoltageNormalisation norm = VoltageNormalisation.fit(split.train(), shape.vThresholdMv(), settings.skipInitialMs());

        // Same seed, same model: DL4J's initialisation, ND4J's global RNG and the window sampler.
        Nd4j.getRandom().setSeed(settings.seed());
        SurrogateNetwork network = SurrogateNetwork.create(architecture, shape.synapses(), settings.learningRate(),
                settings.optimizer(), settings.voltageLossWeight(), settings.seed());
        WindowSampler sampler = new WindowSampler(split.train(), norm, settings.windowMs(), architecture.receptiveFieldMs(),
                settings.skipInitialMs(), settings.seed());
        long started = System.nanoTime();
        EpochLoop.Outcome outcome = new EpochLoop(network, sampler, split.validation(), norm, settings, listener).run();
        LOG.infof("trained %s on %d/%d/%d simulations in %.1f s: best validation AUC %.4f at epoch %d of %d",
                architecture.name(), split.train().size(), split.validation().size(), split.test().size(),
                (System.nanoTime() - started) / 1e9, outcome.bestValAuc(), outcome.bestEpoch(), outcome.epochsRun());

        listener.onProgress(stage(JobState.JOB_STATE_EVALUATING, settings, outcome, "evaluating on " + split.test().size() + " test simulations"));
        CausalPredictor predictor = new CausalPredictor(network, CausalPredictor.DEFAULT_SEGMENT_MS);
        List<SimulationPrediction> predictions = new ArrayList<>();
        for (SimulationTrace s : split.test()) {
            predictions.add(predictor.predict(s));
        }
        EvaluationMetrics metrics = SurrogateEvaluator.evaluate(split.test(), predictions, norm, settings.skipInitialMs()).toBuilder()
                .setValAuc(Double.isNaN(outcome.bestValAuc()) ? 0 : outcome.bestValAuc())
                .build();

        listener.onProgress(stage(JobState.JOB_STATE_EXPORTING, settings, outcome, "exporting ONNX and checking ONNX Runtime against DL4J"));
        OnnxNetwork exported = network.toOnnxNetwork(norm);
        ModelCard card = card(datasetId, shape, architecture, network, norm, settings, metrics);
        OnnxParity parity = checkParity(network, norm, OnnxExporter.export(exported, card), split.test(), settings.windowMs());
        if (!parity.withinTolerance()) {
            throw new DomainException(DomainException.Kind.INTERNAL, String.format(
                    "ONNX export does not reproduce DL4J: max |diff| spike_prob %.3g, soma_mv %.3g mV (tolerance %.0e)",
                    parity.spikeProbMaxAbsDiff(), parity.somaMvMaxAbsDiff(), OnnxParity.TOLERANCE));
        }
        card = card.toBuilder().setMetrics(metrics.toBuilder().setOnnxMaxAbsDiff(parity.maxAbsDiff())).build();
        LOG.infof("test AUC %.4f, soma RMSE %.2f mV, variance explained %.3f, ONNX max |diff| %.2g",
                metrics.getSpikeAuc(), metrics.getSomaRmseMv(), metrics.getVarianceExplained(), parity.maxAbsDiff());
        return new TrainedModel(OnnxExporter.export(exported, card), card);
    }

    /**
     * Up to {@link #PARITY_WINDOWS} windows of held-out (test) simulations, evenly spaced, through
     * DL4J and through ONNX Runtime.
     */
    static OnnxParity checkParity(SurrogateNetwork network, VoltageNormalisation norm, byte[] onnx,
                                  List<SimulationTrace> test, int windowMs) {
        int synapses = network.synapses();
        int width = Math.min(windowMs, test.stream().mapToInt(SimulationTrace::durationMs).min().orElse(windowMs));
        int n = Math.max(1, Math.min(PARITY_WINDOWS, test.size() * 2));
        float[] input = new float[n * synapses * width];
        for (int i = 0; i < n; i++) {
            SimulationTrace s = test.get(i % test.size());
            int span = s.durationMs() - width;
            int start = span <= 0 ? 0 : (int) ((long) span * (i + 1) / (n + 1));
            s.denseInput(start, width, input, i * synapses * width);
        }
        float[][] dl4j = network.predict(input, n, width);
        float[] expectedMv = new float[dl4j[1].length];
        for (int i = 0; i < expectedMv.length; i++) {
            expectedMv[i] = norm.toMv(dl4j[1][i]);
        }
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(onnx)) {
            return OnnxParity.compare(model, input, n, synapses, width, dl4j[0], expectedMv, norm.stdMv());
        }
    }

    static ModelCard card(String datasetId, DatasetShape shape, SurrogateArchitecture architecture, SurrogateNetwork network,
                          VoltageNormalisation norm, TrainingSettings settings, EvaluationMetrics metrics) {
        return ModelCard.newBuilder()
                .setNeuronModel(shape.neuronModel())
                .setDtMs(shape.dtMs())
                .setReceptiveFieldMs(architecture.receptiveFieldMs())
                .setNExc(shape.nExc())
                .setNInh(shape.nInh())
                .setSynapseOrder(shape.synapseOrder())
                .setVClipMv(norm.clipMv())
                .setVMeanMv(norm.meanMv())
                .setVStdMv(norm.stdMv())
                .setDatasetId(datasetId == null ? "" : datasetId)
                .setMetrics(metrics)
                .setArchitecture(architecture.describe() + "; " + network.mixingDescription())
                .setTrainingConfigJson(settings.toJson())
                .setCreatedAtMs(System.currentTimeMillis())
                .setFramework(FRAMEWORK)
                .setInputName(OnnxExporter.INPUT)
                .setSpikeOutputName(OnnxExporter.SPIKE_OUTPUT)
                .setVoltageOutputName(OnnxExporter.VOLTAGE_OUTPUT)
                .setParameters((int) network.parameterCount())
                .setReleaseProbability(shape.releaseProbability())
                .setTemperatureC(shape.temperatureC())
                .build();
    }

    private static TrainingProgress stage(JobState state, TrainingSettings settings, EpochLoop.Outcome outcome, String message) {
        return TrainingProgress.newBuilder()
                .setState(state)
                .setEpoch(outcome.epochsRun()).setEpochs(settings.epochs())
                .setValAuc(Double.isNaN(outcome.bestValAuc()) ? 0 : outcome.bestValAuc())
                .setMessage(message)
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.EventGraphs;
import io.neurosurrogate.core.inference.EventInputLayer;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.eval.SimulationPrediction;
import io.neurosurrogate.trainer.eval.SurrogateEvaluator;
import io.neurosurrogate.trainer.onnx.OnnxEventsExporter;
import io.neurosurrogate.trainer.onnx.OnnxExporter;
import io.neurosurrogate.trainer.onnx.OnnxNetwork;
import io.neurosurrogate.trainer.onnx.OnnxParity;
import io.neurosurrogate.trainer.onnx.OnnxRuntimeModel;
import io.neurosurrogate.trainer.onnx.OnnxStepExporter;
import io.neurosurrogate.trainer.onnx.OnnxStepModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nd4j.linalg.factory.Nd4j;

import io.neurosurrogate.trainer.eval.report.EvaluationReport;
import io.neurosurrogate.trainer.eval.report.HeldOutSet;
import io.neurosurrogate.trainer.eval.report.SimulationResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** Windows the heads' starting biases are measured on (~50 output spikes at 1 Hz and 400 ms windows). */
    static final int HEAD_INIT_WINDOWS = 128;
    /** The streaming form of every exported model, stored beside it (ModelCard.step_graph_file). */
    public static final String STEP_GRAPH_FILE = "model.step.onnx";
    /** The event-driven form of every exported model, stored beside it (ModelCard.events_graph_file). */
    public static final String EVENTS_GRAPH_FILE = "model.events.onnx";
    /** Bins compared between the step and the window graph at export, after a receptive field of history. */
    static final int STEP_PARITY_BINS = 64;

    public Dl4jSurrogateTrainer() {
    }

    @Override
    public TrainedModel train(String datasetId, SimulationSource simulations, TrainingJobSpec spec, TrainingListener listener,
                              java.nio.file.Path workDir) {
        SurrogateArchitecture architecture = SurrogateArchitecture.resolve(spec.getArchitecture());
        TrainingSettings requested = TrainingSettings.from(withArchitectureDefaults(spec.getConfig(), architecture, spec.getNeuronModel()));
        TrainingSchedule schedule = TrainingSchedule.of(requested.schedule(), architecture, requested);
        TrainingSettings settings = requested.withSchedule(schedule.name());
        DatasetShape shape = DatasetShape.of(simulations);
        // Out-of-distribution simulations (the OOD input variant) never train; they are a second test set.
        List<Integer> inDistribution = new ArrayList<>();
        List<Integer> outOfDistribution = new ArrayList<>();
        for (int i = 0; i < simulations.size(); i++) {
            (isOutOfDistribution(simulations.metadata(i)) ? outOfDistribution : inDistribution).add(i);
        }
        SimulationSource ood = simulations.subset(outOfDistribution);
        DatasetSplit split = DatasetSplit.of(simulations.subset(inDistribution), settings.validationFraction(), settings.testFraction(), settings.seed());
        VoltageNormalisation norm = VoltageNormalisation.fit(split.train(), shape.vThresholdMv(), settings.skipInitialMs());
        // The dendritic head's targets: every simulation it trains or is scored on must record the
        // nexus (checked before any training, so an I&F dataset fails at once, naming a simulation).
        NexusNormalisation nexusNorm = null;
        if (architecture.dendriticHead()) {
            nexusNorm = NexusNormalisation.fit(split.train(), settings.skipInitialMs());
            NexusNormalisation.requireNexus(split.validation());
            NexusNormalisation.requireNexus(split.test());
            NexusNormalisation.requireNexus(ood);
            LOG.infof("dendritic head: nexus voltage mean %.2f mV, std %.2f mV (training simulations)", nexusNorm.meanMv(), nexusNorm.stdMv());
        }

        // Same seed, same model: DL4J's initialisation, ND4J's global RNG and the window sampler.
        Nd4j.getRandom().setSeed(settings.seed());
        SurrogateNetwork network = SurrogateNetwork.create(architecture, shape.synapses(), schedule, settings.optimizer(), settings.seed());
        WindowSampler sampler = new WindowSampler(split.train(), norm, nexusNorm, settings.windowMs(), architecture.receptiveFieldMs(),
                settings.skipInitialMs(), settings.seed());
        SurrogateNetwork.HeadStart heads = initialiseHeads(network, sampler, settings.batchSize());
        LOG.infof("heads start from the data: spike rate %.2e per bin, spike bias %.3f, voltage bias %.3f%s",
                heads.spikeRate(), heads.spikeBias(), heads.voltageBias(),
                network.hasDendriteHead() ? String.format(java.util.Locale.ROOT, ", nexus bias %.3f", heads.dendriteBias()) : "");
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(workDir, fingerprint(datasetId, spec, shape));
        long started = System.nanoTime();
        EpochLoop.Outcome outcome = new EpochLoop(network, sampler, split.validation(), norm, nexusNorm, settings, schedule, listener, checkpoints).run();
        LOG.infof("trained %s on %d/%d/%d simulations in %.1f s: best validation AUC %.4f at epoch %d of %d (%.0f output ms/s, backend %s)",
                architecture.name(), split.train().size(), split.validation().size(), split.test().size(),
                (System.nanoTime() - started) / 1e9, outcome.bestValAuc(), outcome.bestEpoch(), outcome.epochsRun(),
                outcome.samplesPerS(), Nd4jBackend.name());

        listener.onProgress(stage(JobState.JOB_STATE_EVALUATING, settings, outcome, "evaluating on " + split.test().size() + " test simulations"
                + (ood.size() == 0 ? "" : " and " + ood.size() + " out-of-distribution ones")));
        CausalPredictor predictor = new CausalPredictor(network, CausalPredictor.DEFAULT_SEGMENT_MS);
        HeldOutPredictions test = HeldOutPredictions.of(predictor, split.test());
        EvaluationMetrics metrics = SurrogateEvaluator.evaluate(test.traces(), test.predictions(), norm, nexusNorm, settings.skipInitialMs()).toBuilder()
                .setValAuc(Double.isNaN(outcome.bestValAuc()) ? 0 : outcome.bestValAuc())
                .build();
        HeldOutPredictions oodHeld = HeldOutPredictions.of(predictor, ood);
        EvaluationMetrics oodMetrics = oodHeld.isEmpty() ? null
                : SurrogateEvaluator.evaluate(oodHeld.traces(), oodHeld.predictions(), norm, nexusNorm, settings.skipInitialMs()).toBuilder()
                .setThresholdAt0P25Fa(metrics.getThresholdAt0P25Fa()).build();

        listener.onProgress(stage(JobState.JOB_STATE_EXPORTING, settings, outcome, "exporting ONNX and checking ONNX Runtime against DL4J"));
        OnnxNetwork exported = network.toOnnxNetwork(norm, nexusNorm);
        ModelCard card = card(datasetId, shape, architecture, network, norm, nexusNorm, settings, metrics);
        if (oodMetrics != null) {
            card = card.toBuilder().setOodMetrics(oodMetrics).build();
        }
        boolean events = OnnxEventsExporter.supports(exported);
        card = card.toBuilder().setStepGraphFile(STEP_GRAPH_FILE).setStepMacs(OnnxStepExporter.macs(exported)).build();
        if (events) {
            card = card.toBuilder().setEventsGraphFile(EVENTS_GRAPH_FILE).setEventsColumn(OnnxEventsExporter.columnFloats(exported))
                    .setEventsTailMacs(OnnxEventsExporter.tailMacs(exported)).build();
        }
        byte[] checkedWindow = OnnxExporter.export(exported, card);
        OnnxParity parity = checkParity(network, norm, nexusNorm, checkedWindow, split.test(), settings.windowMs());
        if (!parity.withinTolerance()) {
            throw new DomainException(DomainException.Kind.INTERNAL, String.format(
                    "ONNX export does not reproduce DL4J: max |diff| spike_prob %.3g, soma_mv %.3g mV, nexus_mv %.3g (normalised) (tolerance %.0e)",
                    parity.spikeProbMaxAbsDiff(), parity.somaMvMaxAbsDiff(), parity.nexusNormMaxAbsDiff(), OnnxParity.TOLERANCE));
        }
        StreamingParity streaming = StreamingParity.of(checkedWindow, split.test(), architecture.receptiveFieldMs(), network.synapses());
        // The graphs as checked; the files written below carry the final card (metrics added).
        byte[] checkedStep = OnnxStepExporter.export(exported, card);
        byte[] checkedEvents = events ? OnnxEventsExporter.export(exported, card) : null;
        double stepDiff = streaming.stepDiff(checkedStep);
        if (!(stepDiff <= OnnxParity.TOLERANCE)) {
            throw new DomainException(DomainException.Kind.INTERNAL, String.format(
                    "the step (streaming) graph does not reproduce the window graph: max |diff| %.3g (tolerance %.0e)", stepDiff, OnnxParity.TOLERANCE));
        }
        double eventsDiff = 0;
        if (events) {
            eventsDiff = streaming.eventsDiff(checkedEvents);
            if (!(eventsDiff <= OnnxParity.TOLERANCE)) {
                throw new DomainException(DomainException.Kind.INTERNAL, String.format(
                        "the event-driven form does not reproduce the window graph: max |diff| %.3g (tolerance %.0e)", eventsDiff, OnnxParity.TOLERANCE));
            }
        }
        metrics = metrics.toBuilder().setOnnxMaxAbsDiff(parity.maxAbsDiff()).setStepMaxAbsDiff(stepDiff).setEventsMaxAbsDiff(eventsDiff).build();
        Int8Evaluation int8 = Int8Evaluation.of(checkedStep, checkedEvents, split.test(), test, norm, settings.skipInitialMs());
        if (int8 != null) {
            metrics = int8.addTo(metrics);
            LOG.infof("int8 %s stream on the test simulations: AUC %.4f, soma RMSE %.2f mV; max |int8 - float| spike_prob %.3g, soma_mv %.3g mV",
                    int8.form(), int8.spikeAuc(), int8.somaRmseMv(), int8.maxDiffProb(), int8.maxDiffMv());
        }
        card = card.toBuilder().setMetrics(metrics).build();
        LOG.infof("test AUC %.4f, soma RMSE %.2f mV, variance explained %.3f, ONNX max |diff| %.2g%s",
                metrics.getSpikeAuc(), metrics.getSomaRmseMv(), metrics.getVarianceExplained(), parity.maxAbsDiff(),
                nexusNorm == null ? "" : String.format(java.util.Locale.ROOT, "; nexus RMSE %.2f mV, variance explained %.3f",
                        metrics.getNexusRmseMv(), metrics.getNexusVarianceExplained()));
        Map<String, byte[]> report = EvaluationReport.render(
                spec.getModelName().isEmpty() ? architecture.name() : spec.getModelName() + " (" + architecture.name() + ")",
                heldOut("test", metrics, test, norm, nexusNorm, settings),
                oodMetrics == null ? null : heldOut("ood", oodMetrics, oodHeld, norm, nexusNorm, settings),
                outcome.history(),
                reportExtras(datasetId, architecture, network, settings, outcome, split, ood.size(), heads));
        Map<String, byte[]> files = new java.util.HashMap<>(report);
        files.put(STEP_GRAPH_FILE, OnnxStepExporter.export(exported, card));
        if (events) {
            files.put(EVENTS_GRAPH_FILE, OnnxEventsExporter.export(exported, card));
        }
        return new TrainedModel(OnnxExporter.export(exported, card), card, files);
    }

    /**
     * The streaming forms checked against the window graph on one stretch of the first held-out
     * simulation ({@link #STEP_PARITY_BINS} bins after a receptive field of history): the window
     * graph runs once, and each form is driven bin by bin from zero state. Differences are max |diff|
     * over all outputs (mV for the voltages).
     */
    record StreamingParity(float[] input, int width, int synapses, float[][] expected) {

        static StreamingParity of(byte[] window, SimulationSource test, int receptiveFieldMs, int synapses) {
            SimulationTrace s = test.get(0);
            int width = Math.min(s.durationMs(), receptiveFieldMs + STEP_PARITY_BINS);
            float[] input = new float[synapses * width];
            s.denseInput((s.durationMs() - width) / 2, width, input, 0);
            try (OnnxRuntimeModel w = new OnnxRuntimeModel(window)) {
                return new StreamingParity(input, width, synapses, w.run(input, 1, synapses, width));
            }
        }

        /** The step graph against the window graph. */
        double stepDiff(byte[] step) {
            try (OnnxStepModel st = new OnnxStepModel(step)) {
                return maxAbsDiff(st.runSequence(input, 1, synapses, width));
            }
        }

        /** The event-driven form (the Java input layer, then the events graph) against the window graph. */
        double eventsDiff(byte[] events) {
            EventGraphs.Split split = EventGraphs.split(events);
            EventInputLayer layer = split.layer();
            int[][] spikes = new int[width][];
            for (int t = 0; t < width; t++) {
                int n = 0;
                for (int syn = 0; syn < synapses; syn++) {
                    n += input[syn * width + t] != 0f ? 1 : 0;
                }
                spikes[t] = new int[n];
                n = 0;
                for (int syn = 0; syn < synapses; syn++) {
                    if (input[syn * width + t] != 0f) {
                        spikes[t][n++] = syn;
                    }
                }
            }
            float[] features = Int8Evaluation.features(layer, spikes);
            int channels = layer.channels();
            try (OnnxStepModel tail = new OnnxStepModel(split.graph())) {
                return maxAbsDiff(tail.runSequence(features, 1, channels, width));
            }
        }

        private double maxAbsDiff(float[][] actual) {
            double max = 0;
            for (int o = 0; o < expected.length; o++) {
                for (int i = 0; i < expected[o].length; i++) {
                    max = Math.max(max, Math.abs(actual[o][i] - expected[o][i]));
                }
            }
            return max;
        }
    }

    /**
     * Sets the heads' biases from {@link #HEAD_INIT_WINDOWS} training windows (the sampler is
     * rewound afterwards, so epoch 1 draws the same windows as without this). A run resumed from a
     * checkpoint does the same and then overwrites every parameter with the checkpoint's.
     */
    static SurrogateNetwork.HeadStart initialiseHeads(SurrogateNetwork network, WindowSampler sampler, int batchSize) {
        List<org.nd4j.linalg.dataset.api.MultiDataSet> batches = new ArrayList<>();
        for (int drawn = 0; drawn < HEAD_INIT_WINDOWS; drawn += batchSize) {
            batches.add(sampler.next(Math.min(batchSize, HEAD_INIT_WINDOWS - drawn)));
        }
        SurrogateNetwork.HeadStart start = network.initialiseHeads(batches);
        sampler.startEpoch(1);
        return start;
    }

    /**
     * The L5PC nets' own optimiser defaults: Adam, learning rate 1e-4 (the paper's order of magnitude).
     * Measured 2026-12-02 on 80 L5PC (AMPA) simulations, l5pc-ampa-1x128: with the I&amp;F defaults
     * (Nadam 3e-3) it blew up in its first epoch (training loss 8e5, validation AUC 0.5 for good); with
     * Adam 1e-3 the first steps switched off all but 0.1-0.5 % of the ReLUs (every one of the ~25,000
     * first-layer weights per channel moves by ~lr in Adam's first steps, together) and the validation
     * AUC fell from 0.79 to 0.5; with Adam 1e-4 and the heads started from the data, 40-70 % of the
     * ReLUs stayed active and the validation AUC rose steadily (0.92 after 40 steps of 16 windows).
     * Explicit config values win. They apply to an L5PC preset and to any network (custom layers, as
     * `nsurr complexity` sends) trained on an l5pc* neuron, with the paper's schedule: a complexity grid
     * on l5pc-ampa with the I&amp;F defaults ended at test AUC 0.5 for every cell (2026-12-02).
     */
    static TrainingConfig withArchitectureDefaults(TrainingConfig config, SurrogateArchitecture architecture, String neuronModel) {
        if (!architecture.name().startsWith("l5pc") && !neuronModel.startsWith("l5pc")) {
            return config;
        }
        TrainingConfig.Builder c = config.toBuilder();
        if (config.getSchedule().isBlank()) {
            c.setSchedule("paper");
        }
        if (config.getOptimizer().isBlank()) {
            c.setOptimizer("adam");
        }
        if (config.getLearningRate() == 0) {
            c.setLearningRate(1e-4);
        }
        return c.build();
    }

    /** Simulations of the out-of-distribution input variant (simulator parameter input.generator ends in "-ood"). */
    static boolean isOutOfDistribution(SimulationMetadata m) {
        String generator = m.getParamsMap().getOrDefault("input.generator", "");
        return generator.endsWith("-ood") || "ood".equals(m.getParamsMap().get("input.variant"));
    }

    private static HeldOutSet heldOut(String name, EvaluationMetrics metrics, HeldOutPredictions held,
                                      VoltageNormalisation norm, NexusNormalisation nexusNorm, TrainingSettings settings) {
        List<SimulationTrace> sims = held.traces();
        List<SimulationPrediction> predictions = held.predictions();
        List<SimulationResult> results = new ArrayList<>(sims.size());
        for (int i = 0; i < sims.size(); i++) {
            SimulationTrace s = sims.get(i);
            float[] predictedMv = predictions.get(i).voltageNorm().clone();
            for (int t = 0; t < predictedMv.length; t++) {
                predictedMv[t] = norm.toMv(predictedMv[t]);
            }
            float[] nexusNorms = predictions.get(i).nexusNorm();
            float[] nexusMv = null;
            if (nexusNorm != null && nexusNorms != null) {
                nexusMv = new float[nexusNorms.length];
                for (int t = 0; t < nexusMv.length; t++) {
                    nexusMv[t] = nexusNorm.toMv(nexusNorms[t]);
                }
            }
            results.add(new SimulationResult(s.meta().getSimulationId(), predictions.get(i).spikeProb(), predictedMv, s.somaMv(),
                    norm.clipMv(), s.outputSpikeTimesMs(), nexusMv, nexusMv == null ? null : s.nexusMv()));
        }
        return new HeldOutSet(name, metrics, results, settings.skipInitialMs());
    }

    private static Map<String, String> reportExtras(String datasetId, SurrogateArchitecture architecture, SurrogateNetwork network,
                                                    TrainingSettings settings, EpochLoop.Outcome outcome, DatasetSplit split, int ood,
                                                    SurrogateNetwork.HeadStart heads) {
        // (sizes only: the split holds sources, nothing is loaded here)
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("dataset_id", datasetId);
        extra.put("architecture", architecture.describe());
        extra.put("first_layer", network.mixingDescription());
        extra.put("parameters", Long.toString(network.parameterCount()));
        extra.put("training_config", settings.toJson());
        extra.put("head_start", String.format(java.util.Locale.ROOT, "spike rate %.3g per bin, spike bias %.3f%s, voltage bias %.3f%s",
                heads.spikeRate(), heads.spikeBias(), architecture.spikeBiasFromData() ? " (from the data)" : " (requested)", heads.voltageBias(),
                architecture.dendriticHead() ? String.format(java.util.Locale.ROOT, ", nexus bias %.3f", heads.dendriteBias()) : ""));
        extra.put("backend", Nd4jBackend.name());
        extra.put("epochs_run", Integer.toString(outcome.epochsRun()));
        extra.put("best_epoch", Integer.toString(outcome.bestEpoch()));
        extra.put("resumed_from_epoch", Integer.toString(outcome.resumedFromEpoch()));
        extra.put("train_samples_per_s", String.format(java.util.Locale.ROOT, "%.1f", outcome.samplesPerS()));
        extra.put("budget_spent", Boolean.toString(outcome.budgetSpent()));
        extra.put("simulations_train_val_test_ood", split.train().size() + "/" + split.validation().size() + "/" + split.test().size() + "/" + ood);
        return extra;
    }

    /** Identifies one training for its checkpoints: dataset, synapses and the whole job spec. */
    static String fingerprint(String datasetId, TrainingJobSpec spec, DatasetShape shape) {
        byte[] specBytes = spec.toByteArray();
        String text = datasetId + "|" + shape.synapses() + "|" + java.util.HexFormat.of().formatHex(specBytes);
        return io.neurosurrogate.core.Sha256.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Up to {@link #PARITY_WINDOWS} windows of held-out (test) simulations, evenly spaced, through
     * DL4J and through ONNX Runtime.
     */
    static OnnxParity checkParity(SurrogateNetwork network, VoltageNormalisation norm, NexusNormalisation nexusNorm, byte[] onnx,
                                  SimulationSource test, int windowMs) {
        int synapses = network.synapses();
        int shortest = windowMs;
        for (int i = 0; i < test.size(); i++) {
            shortest = Math.min(shortest, test.durationMs(i));
        }
        int width = Math.min(windowMs, shortest);
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
        float[] expectedNexusMv = null;
        if (dl4j.length > 2) {
            expectedNexusMv = new float[dl4j[2].length];
            for (int i = 0; i < expectedNexusMv.length; i++) {
                expectedNexusMv[i] = nexusNorm.toMv(dl4j[2][i]);
            }
        }
        try (OnnxRuntimeModel model = new OnnxRuntimeModel(onnx)) {
            return OnnxParity.compare(model, input, n, synapses, width, dl4j[0], expectedMv, norm.stdMv(),
                    expectedNexusMv, nexusNorm == null ? 1 : nexusNorm.stdMv());
        }
    }

    static ModelCard card(String datasetId, DatasetShape shape, SurrogateArchitecture architecture, SurrogateNetwork network,
                          VoltageNormalisation norm, NexusNormalisation nexusNorm, TrainingSettings settings, EvaluationMetrics metrics) {
        ModelCard.Builder card = ModelCard.newBuilder()
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
                .setBackend(Nd4jBackend.name())
                .setPreset(architecture.name());
        if (nexusNorm != null) {
            card.setDendriteOutputName(OnnxExporter.DENDRITE_OUTPUT)
                    .setNexusMeanMv(nexusNorm.meanMv())
                    .setNexusStdMv(nexusNorm.stdMv());
        }
        return card.build();
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

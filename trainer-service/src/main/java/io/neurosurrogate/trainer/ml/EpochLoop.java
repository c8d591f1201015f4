package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.eval.SimulationPrediction;
import io.neurosurrogate.trainer.eval.SurrogateEvaluator;
import io.neurosurrogate.trainer.eval.report.EpochRecord;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Epochs of {@code windows_per_epoch} random windows; after each epoch the validation simulations
 * are predicted in full (causally) and scored, and a checkpoint is written (when the job has a work
 * directory). The parameters with the best validation spike AUC are kept (restored at the end);
 * training stops early after {@code patience} epochs without improvement, when the wall-clock budget
 * ({@code max_train_s}) is spent, and between batches when the listener asks to cancel. A run that
 * finds a checkpoint of the same job continues after its epoch and ends exactly where the
 * uninterrupted run would (same windows, parameters, optimiser state and counters).
 */
final class EpochLoop {

    /** How the loop ended: best validation AUC, the epoch that reached it, and the per-epoch history. */
    record Outcome(double bestValAuc, int bestEpoch, int epochsRun, List<EpochRecord> history, int resumedFromEpoch,
                   double samplesPerS, boolean budgetSpent) {
    }

    /**
     * Validation AUC differences below this are treated as noise and the lower validation loss
     * decides. With ~10 validation simulations of 6 s (~50-60 output spikes) the AUC's sampling
     * error is well above 1e-3, and the AUC of an I&amp;F net plateaus within a few epochs while the
     * voltage error keeps falling; measured: at 5e-4 a 0.0006 AUC dip kept the epoch-3 parameters
     * of iaf-reset (seed 2, validation loss 0.040 instead of 0.030; test RMSE 2.15 instead of
     * 1.91 mV at the same test AUC within 0.001).
     */
    static final double AUC_NOISE = 2e-3;

    private final SurrogateNetwork network;
    private final WindowSampler sampler;
    private final SimulationSource validation;
    private final VoltageNormalisation norm;
    private final NexusNormalisation nexusNorm;   // null without the dendritic head
    private final TrainingSettings settings;
    private final TrainingSchedule schedule;
    private final TrainingListener listener;
    private final TrainingCheckpoints checkpoints;

    EpochLoop(SurrogateNetwork network, WindowSampler sampler, SimulationSource validation,
              VoltageNormalisation norm, TrainingSettings settings, TrainingSchedule schedule, TrainingListener listener,
              TrainingCheckpoints checkpoints) {
        this(network, sampler, validation, norm, null, settings, schedule, listener, checkpoints);
    }

    EpochLoop(SurrogateNetwork network, WindowSampler sampler, SimulationSource validation,
              VoltageNormalisation norm, NexusNormalisation nexusNorm, TrainingSettings settings, TrainingSchedule schedule,
              TrainingListener listener, TrainingCheckpoints checkpoints) {
        this.network = network;
        this.sampler = sampler;
        this.validation = validation;
        this.norm = norm;
        this.nexusNorm = nexusNorm;
        this.settings = settings;
        this.schedule = schedule;
        this.listener = listener;
        this.checkpoints = checkpoints;
    }

    Outcome run() {
        int epochs = settings.epochs();
        int batchesPerEpoch = Math.max(1, (settings.windowsPerEpoch() + settings.batchSize() - 1) / settings.batchSize());
        CausalPredictor predictor = new CausalPredictor(network, CausalPredictor.DEFAULT_SEGMENT_MS);
        double bestAuc = Double.NEGATIVE_INFINITY;
        double bestLoss = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int bestEpoch = 0;
        int sinceBest = 0;
        int epoch = 0;
        double trainedS = 0;
        List<EpochRecord> history = new ArrayList<>();
        int resumedFrom = 0;
        TrainingCheckpoints.Checkpoint resumed = checkpoints.load();
        if (resumed != null) {
            network.restore(resumed.current());
            bestParams = resumed.best();
            bestAuc = resumed.bestAuc();
            bestLoss = resumed.bestLoss();
            bestEpoch = resumed.bestEpoch();
            sinceBest = resumed.sinceBest();
            epoch = resumed.epoch();
            trainedS = resumed.trainedS();
            history.addAll(resumed.history());
            resumedFrom = epoch;
        }
        String backend = Nd4jBackend.name();
        listener.onProgress(progress(epoch, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, backend, resumedFrom,
                (resumed != null ? "resumed from the checkpoint of epoch " + epoch + "; " : "training started: ")
                        + network.mixingDescription() + "; schedule " + schedule.name() + "; backend " + backend));
        double samplesPerS = 0;
        boolean budgetSpent = false;
        boolean stopping = resumed != null && resumed.finished();
        while (epoch < epochs && !stopping) {
            epoch++;
            TrainingSchedule.Phase phase = schedule.phaseAt(epoch);
            network.setLossWeights(phase.spikeLossWeight(), phase.voltageLossWeight());
            sampler.startEpoch(epoch);
            double lossSum = 0;
            int batches = 0;
            long fitStarted = System.nanoTime();
            double dataWaitS;
            try (BatchPrefetcher batchesAhead = new BatchPrefetcher(sampler, batchesPerEpoch, settings.batchSize())) {
                for (int b = 0; b < batchesPerEpoch; b++) {
                    if (listener.cancelled()) {
                        throw new CancellationException("training cancelled in epoch " + epoch);
                    }
                    if (settings.maxTrainS() > 0 && trainedS + (System.nanoTime() - fitStarted) / 1e9 >= settings.maxTrainS()) {
                        budgetSpent = true;
                        break;
                    }
                    lossSum += network.fit(batchesAhead.next());
                    batches++;
                }
                dataWaitS = batchesAhead.waitSeconds();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("training interrupted in epoch " + epoch);
            }
            double fitS = (System.nanoTime() - fitStarted) / 1e9;
            trainedS += fitS;
            samplesPerS = fitS > 0 ? (double) batches * settings.batchSize() * sampler.countedBinsPerWindow() / fitS : 0;
            double trainLoss = batches == 0 ? Double.NaN : lossSum / batches / sampler.countedBinsPerWindow();
            double learningRate = network.currentLearningRate();
            network.endEpoch();
            HeldOutPredictions held = HeldOutPredictions.of(predictor, validation);
            SurrogateEvaluator.ValidationScore score = SurrogateEvaluator.validate(
                    held.traces(), held.predictions(), norm, nexusNorm, settings.skipInitialMs(), settings.voltageLossWeight());
            // Select on AUC (the paper's headline). AUC differences below AUC_NOISE are noise at these
            // bin counts (~1 spike per 1,000 bins), so within it the lower validation loss (which also
            // carries the voltage error) wins. Validation sets without spikes fall back to loss alone.
            boolean improved = Double.isNaN(score.auc())
                    ? score.loss() < bestLoss
                    : score.auc() > bestAuc + AUC_NOISE || (score.auc() >= bestAuc - AUC_NOISE && score.loss() < bestLoss);
            if (improved || bestParams == null) {
                bestAuc = Double.isNaN(score.auc()) ? bestAuc : Math.max(bestAuc, score.auc());
                bestLoss = score.loss();
                bestParams = network.params();
                bestEpoch = epoch;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            history.add(new EpochRecord(epoch, trainLoss, score.loss(), score.auc(), learningRate,
                    phase.spikeLossWeight(), phase.voltageLossWeight(), trainedS));
            boolean early = sinceBest >= settings.earlyStoppingPatience();
            stopping = early || budgetSpent;
            checkpoints.save(new TrainingCheckpoints.Checkpoint(epoch, network.state(), bestParams, bestAuc, bestLoss, bestEpoch,
                    sinceBest, trainedS, history, stopping));
            double perEpochS = trainedS / epoch;
            double eta = stopping ? 0 : perEpochS * (epochs - epoch);
            String message = (early ? "early stop: no validation AUC gain for " + sinceBest + " epochs"
                    : budgetSpent ? "training budget of " + settings.maxTrainS() + " s spent in epoch " + epoch
                    : "epoch " + epoch + " done")
                    + String.format(java.util.Locale.ROOT, " (%.0f output ms/s; waited %.1f of %.1f s for data)", samplesPerS, dataWaitS, fitS);
            listener.onProgress(progress(epoch, trainLoss, score.loss(), score.auc(), eta, samplesPerS, backend, resumedFrom, message));
        }
        if (bestParams == null) {
            throw new IllegalStateException("no epoch was trained");
        }
        network.setParams(bestParams);
        return new Outcome(bestAuc == Double.NEGATIVE_INFINITY ? Double.NaN : bestAuc, bestEpoch, epoch, List.copyOf(history),
                resumedFrom, samplesPerS, budgetSpent);
    }

    private TrainingProgress progress(int epoch, double trainLoss, double valLoss, double valAuc, double eta, double samplesPerS,
                                      String backend, int resumedFrom, String message) {
        return TrainingProgress.newBuilder()
                .setState(JobState.JOB_STATE_TRAINING)
                .setEpoch(epoch).setEpochs(settings.epochs())
                .setTrainLoss(finiteOrZero(trainLoss)).setValLoss(finiteOrZero(valLoss)).setValAuc(finiteOrZero(valAuc))
                .setEtaS(finiteOrZero(eta))
                .setSamplesPerS(finiteOrZero(samplesPerS))
                .setBackend(backend)
                .setResumedFromEpoch(resumedFrom)
                .setMessage(message)
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingProgress;
import io.neurosurrogate.trainer.eval.SimulationPrediction;
import io.neurosurrogate.trainer.eval.SurrogateEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Epochs of {@code windows_per_epoch} random windows; after each epoch the validation simulations
 * are predicted in full (causally) and scored. The parameters with the best validation spike AUC
 * are kept (restored at the end); training stops early after {@code patience} epochs without
 * improvement, and between batches when the listener asks to cancel.
 */
final class EpochLoop {

    /** How the loop ended: best validation AUC and the epoch that reached it. */
    record Outcome(double bestValAuc, int bestEpoch, int epochsRun) {
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
    private final List<SimulationTrace> validation;
    private final VoltageNormalisation norm;
    private final TrainingSettings settings;
    private final TrainingListener listener;

    EpochLoop(SurrogateNetwork network, WindowSampler sampler, List<SimulationTrace> validation,
              VoltageNormalisation norm, TrainingSettings settings, TrainingListener listener) {
        this.network = network;
        this.sampler = sampler;
        this.validation = validation;
        this.norm = norm;
        this.settings = settings;
        this.listener = listener;
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
        long started = System.nanoTime();
        int epoch = 0;
        listener.onProgress(progress(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "training started: " + network.mixingDescription()));
        while (epoch < epochs) {
            epoch++;
            double lossSum = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                if (listener.cancelled()) {
                    throw new CancellationException("training cancelled in epoch " + epoch);
                }
                lossSum += network.fit(sampler.next(settings.batchSize()));
            }
            double trainLoss = lossSum / batchesPerEpoch / sampler.countedBinsPerWindow();
            List<SimulationPrediction> predictions = new ArrayList<>(validation.size());
            for (SimulationTrace s : validation) {
                predictions.add(predictor.predict(s));
            }
            SurrogateEvaluator.ValidationScore score = SurrogateEvaluator.validate(
                    validation, predictions, norm, settings.skipInitialMs(), settings.voltageLossWeight());
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
            double perEpochS = (System.nanoTime() - started) / 1e9 / epoch;
            boolean stopping = sinceBest >= settings.earlyStoppingPatience();
            double eta = stopping ? 0 : perEpochS * (epochs - epoch);
            listener.onProgress(progress(epoch, trainLoss, score.loss(), score.auc(), eta,
                    stopping ? "early stop: no validation AUC gain for " + sinceBest + " epochs" : "epoch " + epoch + " done"));
            if (stopping) {
                break;
            }
        }
        network.setParams(bestParams);
        return new Outcome(bestAuc == Double.NEGATIVE_INFINITY ? Double.NaN : bestAuc, bestEpoch, epoch);
    }

    private TrainingProgress progress(int epoch, double trainLoss, double valLoss, double valAuc, double eta, String message) {
        return TrainingProgress.newBuilder()
                .setState(JobState.JOB_STATE_TRAINING)
                .setEpoch(epoch).setEpochs(settings.epochs())
                .setTrainLoss(finiteOrZero(trainLoss)).setValLoss(finiteOrZero(valLoss)).setValAuc(finiteOrZero(valAuc))
                .setEtaS(finiteOrZero(eta))
                .setMessage(message)
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}

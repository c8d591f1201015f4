package io.neurosurrogate.trainer.eval;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.metrics.HeldOutScores;
import io.neurosurrogate.core.metrics.SpikeMetrics;
import io.neurosurrogate.core.metrics.VoltageMetrics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.trainer.ml.NexusNormalisation;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;

import java.util.List;

/**
 * Scores full-length causal predictions on held-out simulations with the paper's measures
 * (Beniaguev et al. 2021): spike AUC over 1 ms bins, hit rate at 0.25 % and 1 % false alarms, soma
 * RMSE (prediction in mV vs the spike-clipped target) and variance explained; with the dendritic
 * head also the apical nexus voltage's RMSE (mV) and variance explained over the same bins.
 */
public final class SurrogateEvaluator {
    private static final double EPS = 1e-7;

    private SurrogateEvaluator() {
    }

    /** Validation loss (same per-bin loss as training) and spike AUC, for model selection. */
    public record ValidationScore(double loss, double auc) {
    }

    public static EvaluationMetrics evaluate(List<SimulationTrace> test, List<SimulationPrediction> predictions,
                                             VoltageNormalisation norm, int skipInitialMs) {
        return evaluate(test, predictions, norm, null, skipInitialMs);
    }

    /**
     * @param nexusNorm the dendritic head's normalisation, or null without the head (the nexus
     *                  metrics then stay 0); with it, every prediction must carry a nexus voltage
     *                  and every simulation must record one
     */
    public static EvaluationMetrics evaluate(List<SimulationTrace> test, List<SimulationPrediction> predictions,
                                             VoltageNormalisation norm, NexusNormalisation nexusNorm, int skipInitialMs) {
        HeldOutBins bins = HeldOutBins.pool(test, predictions, norm, skipInitialMs);
        if (bins.size() == 0) {
            throw DomainException.invalid("test simulations are not longer than skip_initial_ms=" + skipInitialMs);
        }
        HeldOutScores scores = HeldOutScores.of(new HeldOutScores.Bins(bins.spikeProb(), bins.spikeLabel(), bins.somaMvPredicted(),
                bins.somaMvTarget()));
        EvaluationMetrics.Builder metrics = EvaluationMetrics.newBuilder()
                .setSpikeAuc(nanToZero(scores.auc()))
                .setSomaRmseMv(scores.rmseMv())
                .setVarianceExplained(nanToZero(scores.varianceExplained()))
                .setThresholdAt0P25Fa(scores.thresholdAt0p25Fa())
                .setHitRateAt0P25Fa(nanToZero(scores.hitRateAt0p25Fa()))
                .setHitRateAt1Fa(nanToZero(scores.hitRateAt1Fa()))
                .setSomaMaeMv(meanAbsoluteError(bins.somaMvPredicted(), bins.somaMvTarget()))
                .setTestSimulations(test.size())
                .setTestBins(bins.size());
        if (nexusNorm != null) {
            NexusBins nexus = NexusBins.pool(test, predictions, nexusNorm, skipInitialMs);
            metrics.setNexusRmseMv(VoltageMetrics.rmse(nexus.predictedMv(), nexus.targetMv()))
                    .setNexusVarianceExplained(nanToZero(VoltageMetrics.varianceExplained(nexus.predictedMv(), nexus.targetMv())));
        }
        return metrics.build();
    }

    /** Predicted and simulated nexus voltage in mV, pooled over the counted bins (t >= skip) as {@link HeldOutBins}. */
    record NexusBins(float[] predictedMv, float[] targetMv) {
        static NexusBins pool(List<SimulationTrace> sims, List<SimulationPrediction> predictions, NexusNormalisation norm,
                              int skipInitialMs) {
            int total = 0;
            for (SimulationTrace s : sims) {
                total += Math.max(0, s.durationMs() - skipInitialMs);
            }
            NexusBins out = new NexusBins(new float[total], new float[total]);
            int k = 0;
            for (int i = 0; i < sims.size(); i++) {
                SimulationTrace s = sims.get(i);
                float[] target = NexusNormalisation.nexusOf(s);
                float[] predicted = predictions.get(i).nexusNorm();
                if (predicted == null) {
                    throw new IllegalArgumentException("prediction of " + s.meta().getSimulationId() + " has no nexus voltage");
                }
                for (int t = skipInitialMs; t < s.durationMs(); t++, k++) {
                    out.predictedMv[k] = norm.toMv(predicted[t]);
                    out.targetMv[k] = target[t];
                }
            }
            return out;
        }
    }

    /**
     * Per-bin loss BCE(spike) + w * squared error (normalised voltage), averaged over the held-out
     * bins, and the spike AUC (NaN when the validation set has no spike or only spikes).
     */
    public static ValidationScore validate(List<SimulationTrace> validation, List<SimulationPrediction> predictions,
                                           VoltageNormalisation norm, int skipInitialMs, double voltageLossWeight) {
        return validate(validation, predictions, norm, null, skipInitialMs, voltageLossWeight);
    }

    /**
     * As above; with the dendritic head ({@code nexusNorm} not null) the loss also carries
     * w * squared error of the normalised nexus voltage, as training does.
     */
    public static ValidationScore validate(List<SimulationTrace> validation, List<SimulationPrediction> predictions,
                                           VoltageNormalisation norm, NexusNormalisation nexusNorm, int skipInitialMs,
                                           double voltageLossWeight) {
        HeldOutBins bins = HeldOutBins.pool(validation, predictions, norm, skipInitialMs);
        double loss = 0;
        for (int i = 0; i < bins.size(); i++) {
            double p = Math.min(1 - EPS, Math.max(EPS, bins.spikeProb()[i]));
            loss -= bins.spikeLabel()[i] ? Math.log(p) : Math.log(1 - p);
            double d = bins.voltageNorm()[i] - bins.targetNorm()[i];
            loss += voltageLossWeight * d * d;
        }
        if (nexusNorm != null) {
            NexusBins nexus = NexusBins.pool(validation, predictions, nexusNorm, skipInitialMs);
            double std = nexusNorm.stdMv();
            for (int i = 0; i < nexus.targetMv().length; i++) {
                double d = ((double) nexus.predictedMv()[i] - nexus.targetMv()[i]) / std;
                loss += voltageLossWeight * d * d;
            }
        }
        double auc = bins.size() == 0 ? Double.NaN : SpikeMetrics.auc(bins.spikeProb(), bins.spikeLabel());
        return new ValidationScore(bins.size() == 0 ? Double.NaN : loss / bins.size(), auc);
    }

    private static double meanAbsoluteError(float[] predicted, float[] target) {
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += Math.abs((double) predicted[i] - target[i]);
        }
        return predicted.length == 0 ? 0 : sum / predicted.length;
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}

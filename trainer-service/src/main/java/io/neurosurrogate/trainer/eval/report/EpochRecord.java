package io.neurosurrogate.trainer.eval.report;

/**
 * One training epoch as the report plots it: losses, validation spike AUC (NaN when the validation
 * set has no spike), and the schedule in force during the epoch (learning rate, loss weights).
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAuc, double learningRate,
                          double spikeLossWeight, double voltageLossWeight, double seconds) {
}

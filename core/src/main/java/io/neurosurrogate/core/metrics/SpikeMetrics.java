package io.neurosurrogate.core.metrics;

import java.util.Arrays;

/**
 * Spike-prediction metrics over 1 ms bins, as in Beniaguev, Segev &amp; London (Neuron 2021):
 * ROC AUC, and the hit rate at a fixed false-alarm rate (0.25 % and 1 %).
 */
public final class SpikeMetrics {
    private SpikeMetrics() {
    }

    /**
     * ROC AUC by the rank-sum (Mann-Whitney) statistic, ties counted half.
     * Returns NaN when either class is empty.
     */
    public static double auc(float[] scores, boolean[] labels) {
        checkLengths(scores, labels);
        int n = scores.length;
        int[] order = sortedIndices(scores);
        long positives = 0;
        for (boolean l : labels) {
            if (l) {
                positives++;
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double rankSumPositives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSumPositives += averageRank;
                }
            }
            i = j + 1;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The smallest threshold t such that the fraction of negative bins with score >= t is at most
     * {@code falseAlarmRate}. Spikes are then predicted where score >= t.
     */
    public static double thresholdAtFalseAlarm(float[] scores, boolean[] labels, double falseAlarmRate) {
        checkLengths(scores, labels);
        int negatives = 0;
        for (boolean l : labels) {
            if (!l) {
                negatives++;
            }
        }
        float[] neg = new float[negatives];
        int k = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!labels[i]) {
                neg[k++] = scores[i];
            }
        }
        if (negatives == 0) {
            return 0.0;
        }
        Arrays.sort(neg);
        int allowed = (int) Math.floor(falseAlarmRate * negatives);
        // Scores strictly above neg[negatives - 1 - allowed] give at most `allowed` false alarms.
        int idx = negatives - 1 - allowed;
        if (idx < 0) {
            return neg[0];
        }
        return Math.nextUp(neg[idx]);
    }

    /** Fraction of positive bins with score >= threshold (NaN when there are no positives). */
    public static double hitRate(float[] scores, boolean[] labels, double threshold) {
        checkLengths(scores, labels);
        long positives = 0;
        long hits = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i]) {
                positives++;
                if (scores[i] >= threshold) {
                    hits++;
                }
            }
        }
        return positives == 0 ? Double.NaN : (double) hits / positives;
    }

    /** Indices sorted by score, without boxing: (order-preserving float bits, index) packed in a long. */
    private static int[] sortedIndices(float[] scores) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i]);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) sortable << 32) | (i & 0xffffffffL);
        }
        Arrays.sort(keys);
        int[] order = new int[scores.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private static void checkLengths(float[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
    }
}

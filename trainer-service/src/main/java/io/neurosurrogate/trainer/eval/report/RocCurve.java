package io.neurosurrogate.trainer.eval.report;

import java.util.Arrays;

/**
 * ROC curve of a score against binary labels: one point per distinct score, from (0, 0) to (1, 1),
 * bins with equal scores entering together as one step (so the area under the polyline is the
 * Mann-Whitney AUC with ties counted half, as {@code SpikeMetrics.auc} computes it).
 */
final class RocCurve {
    /** Left end of the log false-alarm axis; the downsampling resolves the curve from here on. */
    static final double LOG_FPR_FLOOR = 1e-4;

    private final double[] fpr;
    private final double[] tpr;
    private final long positives;
    private final long negatives;
    private final double auc;

    private RocCurve(double[] fpr, double[] tpr, long positives, long negatives, double auc) {
        this.fpr = fpr;
        this.tpr = tpr;
        this.positives = positives;
        this.negatives = negatives;
        this.auc = auc;
    }

    /**
     * The curve of {@code scores} (no NaN) against {@code labels}; with no positive or no negative
     * label the curve is just its end points and the AUC is NaN.
     */
    static RocCurve of(float[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
        int p = 0;
        for (boolean l : labels) {
            p += l ? 1 : 0;
        }
        float[] pos = new float[p];
        float[] neg = new float[labels.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            if (labels[i]) {
                pos[ip++] = scores[i];
            } else {
                neg[in++] = scores[i];
            }
        }
        if (pos.length == 0 || neg.length == 0) {
            return new RocCurve(new double[] {0, 1}, new double[] {0, 1}, pos.length, neg.length, Double.NaN);
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // Walk both sorted lists from the highest score down; each distinct score is one threshold.
        double[] f = new double[pos.length + neg.length + 1];
        double[] t = new double[f.length];
        int n = 1;
        long tp = 0;
        long fp = 0;
        long twiceArea = 0;
        int i = pos.length - 1;
        int j = neg.length - 1;
        while (i >= 0 || j >= 0) {
            float threshold = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            long tpBefore = tp;
            long fpBefore = fp;
            while (i >= 0 && pos[i] == threshold) {
                tp++;
                i--;
            }
            while (j >= 0 && neg[j] == threshold) {
                fp++;
                j--;
            }
            twiceArea += (fp - fpBefore) * (tp + tpBefore);
            f[n] = (double) fp / neg.length;
            t[n] = (double) tp / pos.length;
            n++;
        }
        double auc = twiceArea / (2.0 * pos.length * neg.length);
        return new RocCurve(Arrays.copyOf(f, n), Arrays.copyOf(t, n), pos.length, neg.length, auc);
    }

    double auc() {
        return auc;
    }

    /** True when both classes are present, so the curve and its AUC mean something. */
    boolean defined() {
        return positives > 0 && negatives > 0;
    }

    long positives() {
        return positives;
    }

    long negatives() {
        return negatives;
    }

    int size() {
        return fpr.length;
    }

    /** False-alarm rates of the points, ascending (shared array: do not modify). */
    double[] fpr() {
        return fpr;
    }

    /** Hit rates of the points, ascending (shared array: do not modify). */
    double[] tpr() {
        return tpr;
    }

    /** Hit rate on the curve at false-alarm rate {@code f}, interpolated linearly between points. */
    double tprAt(double f) {
        if (f <= 0) {
            int k = 0;
            while (k + 1 < fpr.length && fpr[k + 1] <= 0) {
                k++;
            }
            return tpr[k];
        }
        int hi = 1;
        while (hi < fpr.length - 1 && fpr[hi] < f) {
            hi++;
        }
        if (fpr[hi] == f) {
            while (hi + 1 < fpr.length && fpr[hi + 1] == f) {
                hi++;
            }
            return tpr[hi];
        }
        int lo = hi - 1;
        if (fpr[hi] == fpr[lo]) {
            return tpr[hi];
        }
        double w = (f - fpr[lo]) / (fpr[hi] - fpr[lo]);
        return tpr[lo] + Math.min(1, Math.max(0, w)) * (tpr[hi] - tpr[lo]);
    }

    /**
     * At most {@code maxPoints} points of this curve, the end points kept, for plotting on linear
     * and on log false-alarm axes alike. A point is kept when it is at least {@code step} away from
     * the last kept one in the sum of distances in false-alarm rate, hit rate and log false-alarm
     * position (scaled to [0, 1] from {@link #LOG_FPR_FLOOR}); all three only grow along the curve, so
     * the path is at most 3 long and no more than 3 / step + 2 points are kept.
     */
    RocCurve downsampled(int maxPoints) {
        if (maxPoints < 3) {
            throw new IllegalArgumentException("maxPoints must be >= 3, was " + maxPoints);
        }
        if (fpr.length <= maxPoints) {
            return this;
        }
        // (slightly above 3 / (maxPoints - 2), so rounding in the summed distances cannot keep one point too many)
        double step = 3.0 / (maxPoints - 2) * (1 + 1e-9);
        double[] f = new double[maxPoints];
        double[] t = new double[maxPoints];
        f[0] = fpr[0];
        t[0] = tpr[0];
        int n = 1;
        int last = fpr.length - 1;
        for (int k = 1; k < last; k++) {
            double d = Math.abs(fpr[k] - f[n - 1]) + Math.abs(tpr[k] - t[n - 1])
                    + Math.abs(logPosition(fpr[k]) - logPosition(f[n - 1]));
            if (d >= step) {
                f[n] = fpr[k];
                t[n] = tpr[k];
                n++;
            }
        }
        f[n] = fpr[last];
        t[n] = tpr[last];
        n++;
        return new RocCurve(Arrays.copyOf(f, n), Arrays.copyOf(t, n), positives, negatives, auc);
    }

    private static double logPosition(double f) {
        return f <= LOG_FPR_FLOOR ? 0 : Math.log10(f / LOG_FPR_FLOOR) / -Math.log10(LOG_FPR_FLOOR);
    }
}

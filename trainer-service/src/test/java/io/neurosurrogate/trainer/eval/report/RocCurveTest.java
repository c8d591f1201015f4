package io.neurosurrogate.trainer.eval.report;

import io.neurosurrogate.core.metrics.SpikeMetrics;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RocCurveTest {

    /** Labels with probability {@code rate}; scores U(0.5, 1) for positives, U(0, 0.6) otherwise, optionally rounded to {@code grid}. */
    private static Object[] separable(int n, double rate, double grid, long seed) {
        Random r = new Random(seed);
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextDouble() < rate;
            double s = labels[i] ? 0.5 + 0.5 * r.nextDouble() : 0.6 * r.nextDouble();
            scores[i] = (float) (grid > 0 ? Math.round(s / grid) * grid : s);
        }
        return new Object[] {scores, labels};
    }

    @Test
    void aucAgreesWithSpikeMetricsWithoutTies() {
        Object[] d = separable(50_000, 0.01, 0, 1);
        RocCurve roc = RocCurve.of((float[]) d[0], (boolean[]) d[1]);
        double expected = SpikeMetrics.auc((float[]) d[0], (boolean[]) d[1]);
        assertThat(expected).isBetween(0.9, 0.999);
        assertThat(roc.auc()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void aucAgreesWithSpikeMetricsWhenScoresTie() {
        // Scores on a 0.05 grid: many ties across the classes, each tie group must be one step.
        Object[] d = separable(20_000, 0.05, 0.05, 2);
        RocCurve roc = RocCurve.of((float[]) d[0], (boolean[]) d[1]);
        assertThat(roc.size()).isLessThanOrEqualTo(22);
        assertThat(roc.auc()).isCloseTo(SpikeMetrics.auc((float[]) d[0], (boolean[]) d[1]), within(1e-6));
    }

    @Test
    void aucIsOneForPerfectSeparationAndHalfForConstantScores() {
        float[] scores = {0.1f, 0.2f, 0.9f, 0.95f};
        boolean[] labels = {false, false, true, true};
        assertThat(RocCurve.of(scores, labels).auc()).isEqualTo(1.0);
        assertThat(RocCurve.of(new float[] {0.3f, 0.3f, 0.3f}, new boolean[] {true, false, false}).auc()).isEqualTo(0.5);
    }

    @Test
    void curveRisesFromOriginToOneOne() {
        Object[] d = separable(5_000, 0.02, 0, 3);
        RocCurve roc = RocCurve.of((float[]) d[0], (boolean[]) d[1]);
        assertThat(roc.fpr()[0]).isZero();
        assertThat(roc.tpr()[0]).isZero();
        assertThat(roc.fpr()[roc.size() - 1]).isEqualTo(1.0);
        assertThat(roc.tpr()[roc.size() - 1]).isEqualTo(1.0);
        for (int k = 1; k < roc.size(); k++) {
            assertThat(roc.fpr()[k]).isGreaterThanOrEqualTo(roc.fpr()[k - 1]);
            assertThat(roc.tpr()[k]).isGreaterThanOrEqualTo(roc.tpr()[k - 1]);
        }
    }

    @Test
    void downsampledCurveKeepsAtMostTheLimitAndItsShape() {
        Object[] d = separable(300_000, 0.02, 0, 4);
        RocCurve full = RocCurve.of((float[]) d[0], (boolean[]) d[1]);
        RocCurve small = full.downsampled(2000);
        assertThat(full.size()).isGreaterThan(100_000);
        assertThat(small.size()).isBetween(500, 2000);
        assertThat(small.fpr()[0]).isZero();
        assertThat(small.tpr()[small.size() - 1]).isEqualTo(1.0);
        assertThat(small.fpr()[small.size() - 1]).isEqualTo(1.0);
        double area = 0;
        for (int k = 1; k < small.size(); k++) {
            area += (small.fpr()[k] - small.fpr()[k - 1]) * (small.tpr()[k] + small.tpr()[k - 1]) / 2;
        }
        assertThat(area).isCloseTo(full.auc(), within(2e-3));
        // The log axis needs the low false-alarm end resolved: points between 1e-4 and 1e-2.
        int low = 0;
        for (double f : small.fpr()) {
            low += f >= 1e-4 && f <= 1e-2 ? 1 : 0;
        }
        assertThat(low).isGreaterThan(100);
        assertThat(small.tprAt(0.01)).isCloseTo(full.tprAt(0.01), within(0.01));
    }

    @Test
    void undefinedWithoutPositives() {
        RocCurve roc = RocCurve.of(new float[] {0.1f, 0.2f}, new boolean[] {false, false});
        assertThat(roc.defined()).isFalse();
        assertThat(roc.auc()).isNaN();
    }

    @Test
    void rejectsNaNScoresAndLengthMismatch() {
        assertThatThrownBy(() -> RocCurve.of(new float[] {Float.NaN}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> RocCurve.of(new float[] {0.1f}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in length");
    }
}

package io.neurosurrogate.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpikeMetricsTest {

    @Test
    void aucIsOneForPerfectSeparationAndHalfForConstantScores() {
        float[] scores = {0.1f, 0.2f, 0.9f, 0.3f, 0.8f};
        boolean[] labels = {false, false, true, false, true};
        assertThat(SpikeMetrics.auc(scores, labels)).isEqualTo(1.0);
        assertThat(SpikeMetrics.auc(new float[]{0.5f, 0.5f, 0.5f, 0.5f}, new boolean[]{true, false, false, true})).isEqualTo(0.5);
    }

    @Test
    void aucMatchesPairCountingOnAMixedExample() {
        float[] scores = {0.9f, 0.4f, 0.7f, 0.4f, 0.2f, 0.6f};
        boolean[] labels = {true, true, false, false, false, true};
        // Pairs (pos, neg): 0.9>{0.7,0.4,0.2}=3; 0.4 vs {0.7:0, 0.4:0.5, 0.2:1}=1.5; 0.6 vs {0.7:0,0.4:1,0.2:1}=2 -> 6.5/9
        assertThat(SpikeMetrics.auc(scores, labels)).isCloseTo(6.5 / 9, within(1e-12));
    }

    @Test
    void aucHandlesNegativeScoresInOrder() {
        assertThat(SpikeMetrics.auc(new float[]{-3f, -1f, -2f, 2f}, new boolean[]{false, true, false, true})).isEqualTo(1.0);
    }

    @Test
    void aucIsNaNWithoutBothClasses() {
        assertThat(SpikeMetrics.auc(new float[]{0.1f, 0.2f}, new boolean[]{false, false})).isNaN();
    }

    @Test
    void thresholdAtFalseAlarmKeepsFalseAlarmsWithinTheRate() {
        int n = 10_000;
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i / (float) n;
            labels[i] = i % 100 == 99;
        }
        double t = SpikeMetrics.thresholdAtFalseAlarm(scores, labels, 0.01);
        long negatives = 0;
        long falseAlarms = 0;
        for (int i = 0; i < n; i++) {
            if (!labels[i]) {
                negatives++;
                falseAlarms += scores[i] >= t ? 1 : 0;
            }
        }
        assertThat((double) falseAlarms / negatives).isLessThanOrEqualTo(0.01).isGreaterThan(0.009);
        // 99 false alarms allowed -> threshold just above 0.9898; positives 0.9899 and 0.9999 are hits.
        assertThat(SpikeMetrics.hitRate(scores, labels, t)).isCloseTo(0.02, within(1e-12));
    }
}

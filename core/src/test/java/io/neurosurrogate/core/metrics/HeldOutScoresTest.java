package io.neurosurrogate.core.metrics;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HeldOutScoresTest {

    private static SimulationTrace trace(float[] soma, double... spikeTimes) {
        SimulationMetadata meta = SimulationMetadata.newBuilder().setSimulationId("s").setDurationMs(soma.length).setNExc(1)
                .setDtMs(1).setVThresholdMv(-55).build();
        return new SimulationTrace(meta, new int[][]{{}}, soma, spikeTimes);
    }

    @Test
    void skipsTheFirstBinsAndScoresAgainstTheClippedVoltage() {
        float[] soma = {-70f, -70f, -60f, -40f, -70f, -65f};   // -40 is clipped to -55
        SimulationTrace t = trace(soma, 3.2);
        float[] prob = {0.9f, 0.9f, 0.1f, 0.8f, 0.2f, 0.1f};   // the first two bins (skipped) would spoil the AUC
        float[] mv = {0f, 0f, -61f, -55f, -71f, -64f};
        HeldOutScores.Bins bins = HeldOutScores.pool(List.of(t), List.of(prob), List.of(mv), -55, 2);
        assertThat(bins.size()).isEqualTo(4);
        assertThat(bins.targetMv()).containsExactly(-60f, -55f, -70f, -65f);
        HeldOutScores s = HeldOutScores.of(bins);
        assertThat(s.auc()).isEqualTo(1.0);
        assertThat(s.spikes()).isEqualTo(1);
        assertThat(s.rmseMv()).isCloseTo(Math.sqrt(3.0 / 4), within(1e-6));
        assertThat(s.hitRateAt1Fa()).isEqualTo(1.0);
    }

    @Test
    void rejectsPredictionsOfTheWrongLength() {
        SimulationTrace t = trace(new float[5]);
        assertThatThrownBy(() -> HeldOutScores.pool(List.of(t), List.of(new float[4]), List.of(new float[5]), -55, 0))
                .hasMessageContaining("4 bins");
    }
}

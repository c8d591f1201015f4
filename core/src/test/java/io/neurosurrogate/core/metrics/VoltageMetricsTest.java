package io.neurosurrogate.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VoltageMetricsTest {

    @Test
    void rmseAndVarianceExplainedOfAKnownResidual() {
        float[] target = {-70f, -60f, -70f, -60f};
        float[] predicted = {-71f, -59f, -71f, -59f};
        assertThat(VoltageMetrics.rmse(predicted, target)).isCloseTo(1.0, within(1e-9));
        // var(target) = 25, var(residual) = 1 -> 0.96
        assertThat(VoltageMetrics.varianceExplained(predicted, target)).isCloseTo(0.96, within(1e-9));
        assertThat(VoltageMetrics.varianceExplained(target, target)).isEqualTo(1.0);
    }
}

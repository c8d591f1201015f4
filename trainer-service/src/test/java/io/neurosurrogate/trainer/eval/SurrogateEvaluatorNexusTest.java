package io.neurosurrogate.trainer.eval;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.trainer.ml.NexusNormalisation;
import io.neurosurrogate.trainer.ml.VoltageNormalisation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Nexus RMSE (mV) and variance explained of the dendritic head, over the bins after the skipped start. */
class SurrogateEvaluatorNexusTest {
    private static final int DURATION = 1500;
    private static final int SKIP = 500;
    private static final VoltageNormalisation SOMA = new VoltageNormalisation(-55, -65, 4);
    private static final NexusNormalisation NEXUS = new NexusNormalisation(-60, 8);

    @Test
    void nexusPredictionOffByAConstantTwoMillivoltsHasRmseTwoAndExplainsAllTheVariance() {
        SimulationTrace sim = sim("a", true);
        float[] predicted = new float[DURATION];
        for (int t = 0; t < DURATION; t++) {
            // 2 mV too high after the skip; nonsense (+100 mV) in the skipped start, which must not count.
            double mv = sim.nexusMv()[t] + (t < SKIP ? 100 : 2);
            predicted[t] = (float) ((mv - NEXUS.meanMv()) / NEXUS.stdMv());
        }
        EvaluationMetrics m = SurrogateEvaluator.evaluate(List.of(sim), List.of(prediction(predicted)), SOMA, NEXUS, SKIP);
        assertThat(m.getNexusRmseMv()).isCloseTo(2.0, within(1e-4));
        assertThat(m.getNexusVarianceExplained()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void validationLossCarriesTheNexusErrorWithTheVoltageWeight() {
        SimulationTrace sim = sim("a", true);
        float[] predicted = new float[DURATION];
        for (int t = 0; t < DURATION; t++) {
            predicted[t] = (float) ((sim.nexusMv()[t] + 2 - NEXUS.meanMv()) / NEXUS.stdMv());
        }
        List<SimulationPrediction> p = List.of(prediction(predicted));
        double without = SurrogateEvaluator.validate(List.of(sim), p, SOMA, SKIP, 0.1).loss();
        double with = SurrogateEvaluator.validate(List.of(sim), p, SOMA, NEXUS, SKIP, 0.1).loss();
        // 2 mV / 8 mV = 0.25 normalised; squared 0.0625, times the weight 0.1, per bin.
        assertThat(with - without).isCloseTo(0.1 * 0.0625, within(1e-6));
    }

    @Test
    void constantNexusPredictionExplainsNoVariance() {
        SimulationTrace sim = sim("a", true);
        EvaluationMetrics m = SurrogateEvaluator.evaluate(List.of(sim), List.of(prediction(new float[DURATION])), SOMA, NEXUS, SKIP);
        assertThat(m.getNexusVarianceExplained()).isCloseTo(0.0, within(1e-6));
        assertThat(m.getNexusRmseMv()).isPositive();
    }

    @Test
    void withoutTheHeadTheNexusMetricsStayZero() {
        EvaluationMetrics m = SurrogateEvaluator.evaluate(List.of(sim("a", true)),
                List.of(new SimulationPrediction(new float[DURATION], new float[DURATION])), SOMA, SKIP);
        assertThat(m.getNexusRmseMv()).isZero();
        assertThat(m.getNexusVarianceExplained()).isZero();
    }

    @Test
    void testSimulationWithoutNexusIsInvalidArgumentNamingIt() {
        assertThatThrownBy(() -> SurrogateEvaluator.evaluate(List.of(sim("iaf-3", false)), List.of(prediction(new float[DURATION])),
                SOMA, NEXUS, SKIP))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("simulation iaf-3 has none");
    }

    private static SimulationPrediction prediction(float[] nexusNorm) {
        float[] spike = new float[DURATION];
        java.util.Arrays.fill(spike, 0.01f);
        return new SimulationPrediction(spike, new float[DURATION], nexusNorm);
    }

    /** Silent input, soma at rest, nexus a slow 6 mV sine around -60 mV. */
    private static SimulationTrace sim(String id, boolean withNexus) {
        SimulationMetadata meta = SimulationMetadata.newBuilder().setSimulationId(id).setDtMs(1).setDurationMs(DURATION)
                .setNExc(1).setNInh(1).build();
        float[] soma = new float[DURATION];
        float[] nexus = new float[DURATION];
        for (int t = 0; t < DURATION; t++) {
            soma[t] = -65;
            nexus[t] = (float) (-60 + 6 * Math.sin(t / 80.0));
        }
        return new SimulationTrace(meta, new int[][]{{}, {}}, soma, new double[]{700.5}, withNexus ? nexus : null);
    }
}

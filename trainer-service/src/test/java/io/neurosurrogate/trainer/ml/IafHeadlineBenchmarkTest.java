package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.ConvLayer;
import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's headline (Beniaguev et al. 2021, I&amp;F: AUC 0.9973, RMSE 1.73 mV) with DEFAULT
 * settings on 100 fixture simulations of 6 s, within ~3 minutes on two cores. Slow, so opt-in:
 * {@code mvn -pl trainer-service test -Dtest=IafHeadlineBenchmarkTest -Dns.headline=true}.
 */
@EnabledIfSystemProperty(named = "ns.headline", matches = "true")
class IafHeadlineBenchmarkTest {

    @Test
    void defaultsTrainIafNetToPaperLevelOnHundredSimulations() {
        List<SimulationTrace> sims = IntegrateAndFireFixture.simulations(100, 6000, 7);
        long started = System.nanoTime();
        TrainedModel model = new Dl4jSurrogateTrainer().train("iaf/headline", sims, spec(),
                p -> System.out.printf("%s epoch %d/%d train %.4f val %.4f auc %.4f eta %.0fs%n",
                        p.getState(), p.getEpoch(), p.getEpochs(), p.getTrainLoss(), p.getValLoss(), p.getValAuc(), p.getEtaS()), null);
        double seconds = (System.nanoTime() - started) / 1e9;
        EvaluationMetrics m = model.card().getMetrics();
        System.out.printf("headline [%s]: %.1f s, test AUC %.4f, RMSE %.2f mV, variance explained %.3f, hit@0.25%%FA %.3f, onnx diff %.2g%n",
                model.card().getArchitecture(), seconds, m.getSpikeAuc(), m.getSomaRmseMv(), m.getVarianceExplained(), m.getHitRateAt0P25Fa(), m.getOnnxMaxAbsDiff());
        assertThat(m.getSpikeAuc()).isGreaterThanOrEqualTo(0.99);
        assertThat(m.getSomaRmseMv()).isLessThanOrEqualTo(2.0);
        assertThat(seconds).isLessThan(240);
    }

    /**
     * Defaults, or what the optional properties ask for: {@code ns.headline.preset} (e.g. iaf-reset),
     * {@code ns.headline.layers} ("4x80:tanh,2x50:identity", filters x kernel_ms[dN]:activation),
     * {@code ns.headline.seed}, {@code ns.headline.vweight} (voltage loss weight).
     */
    static TrainingJobSpec spec() {
        Architecture.Builder arch = Architecture.newBuilder().setPreset(System.getProperty("ns.headline.preset", ""));
        String layers = System.getProperty("ns.headline.layers", "");
        for (String l : layers.isBlank() ? new String[0] : layers.split(",")) {
            String[] parts = l.trim().split(":");
            String[] shape = parts[0].split("x");
            String[] kd = shape[1].split("d");
            arch.addLayers(ConvLayer.newBuilder().setFilters(Integer.parseInt(shape[0])).setKernelMs(Integer.parseInt(kd[0]))
                    .setDilation(kd.length > 1 ? Integer.parseInt(kd[1]) : 1).setActivation(parts.length > 1 ? parts[1] : ""));
        }
        TrainingConfig.Builder config = TrainingConfig.newBuilder()
                .setSeed(Long.getLong("ns.headline.seed", 0L))
                .setVoltageLossWeight(Double.parseDouble(System.getProperty("ns.headline.vweight", "0")));
        return TrainingJobSpec.newBuilder().setArchitecture(arch).setConfig(config).build();
    }
}

package io.neurosurrogate.cli;

import io.neurosurrogate.proto.v1.EvaluationMetrics;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainCommandTest {

    private static TrainCommand parse(String... args) {
        TrainCommand c = new TrainCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void simMinutesBecomeACampaignOfSixSecondSimulationsOfTheChosenNeuronAndEngine() {
        TrainCommand c = parse("--model", "l5", "--neuron", "l5pc-nmda", "--engine", "neuron", "--sim-minutes", "2.5", "--seed", "7");
        c.validate();
        var spec = c.campaignSpec();
        assertThat(spec.getCount()).isEqualTo(25);
        assertThat(spec.getDurationMs()).isEqualTo(6000);
        assertThat(spec.getNeuronModel()).isEqualTo("l5pc-nmda");
        assertThat(spec.getEngine()).isEqualTo("neuron");
        assertThat(spec.getSeed()).isEqualTo(7);
    }

    @Test
    void simulationCountRoundsUpWithoutFloatingPointNoise() {
        assertThat(TrainCommand.simulationsFor(0.3)).isEqualTo(3);
        assertThat(TrainCommand.simulationsFor(0.31)).isEqualTo(4);
        assertThat(TrainCommand.simulationsFor(60)).isEqualTo(600);
        assertThat(TrainCommand.simulationsFor(0.01)).isEqualTo(1);
    }

    @Test
    void trainingOptionsReachTheJobSpec() {
        TrainCommand c = parse("--model", "m", "--preset", "l5pc-nmda-7x128", "--first-layer", "dense", "--batch-size", "32",
                "--window-ms", "600", "--max-train-minutes", "1.5", "--epochs", "40", "--residual", "--mixing-rank", "16");
        TrainingJobSpec spec = c.trainingSpec("c-42", 100);
        assertThat(spec.getArchitecture().getResidual()).isTrue();
        assertThat(spec.getCampaignId()).isEqualTo("c-42");
        assertThat(spec.getMinSimulations()).isEqualTo(100);
        assertThat(spec.getArchitecture().getPreset()).isEqualTo("l5pc-nmda-7x128");
        assertThat(spec.getArchitecture().getFirstLayer()).isEqualTo("dense");
        assertThat(spec.getArchitecture().getMixingRank()).isEqualTo(16);
        assertThat(spec.getConfig().getBatchSize()).isEqualTo(32);
        assertThat(spec.getConfig().getWindowMs()).isEqualTo(600);
        assertThat(spec.getConfig().getMaxTrainS()).isEqualTo(90);
        assertThat(spec.getConfig().getEpochs()).isEqualTo(40);
        assertThat(spec.getConfig().getSeed()).isEqualTo(1);
    }

    @Test
    void existingOptionsKeepTheirDefaults() {
        TrainCommand c = parse("--model", "m", "--campaign", "c-1", "--min-sims", "16");
        c.validate();
        TrainingJobSpec spec = c.trainingSpec(c.campaign, c.minSims);
        assertThat(spec.getNeuronModel()).isEqualTo("iaf");
        assertThat(spec.getArchitecture().getPreset()).isEqualTo("iaf-reset");
        assertThat(spec.getArchitecture().getFirstLayer()).isEmpty();
        assertThat(spec.getArchitecture().getMixingRank()).isZero();
        assertThat(spec.getConfig().getMaxTrainS()).isZero();
        assertThat(spec.getConfig().getBatchSize()).isZero();
        assertThat(spec.getMinSimulations()).isEqualTo(16);
    }

    @Test
    void rejectsSimMinutesWithAnExistingCampaignAndUnknownEngines() {
        assertThatThrownBy(() -> parse("--model", "m", "--sim-minutes", "1", "--campaign", "c-1").validate())
                .hasMessageContaining("--campaign");
        assertThatThrownBy(() -> parse("--model", "m", "--engine", "brian").validate()).hasMessageContaining("--engine");
    }

    @Test
    void resultLineCarriesTestMetricsLastThroughputEpochsAndBackend() {
        TrainCommand c = parse("--model", "l5", "--neuron", "l5pc-ampa", "--preset", "l5pc-ampa-1x128");
        TrainCommand.ProgressTally tally = new TrainCommand.ProgressTally();
        tally.accept(TrainingProgress.newBuilder().setEpoch(1).setSamplesPerS(5000).setBackend("cuda").build());
        tally.accept(TrainingProgress.newBuilder().setEpoch(2).setSamplesPerS(6000.4).build());
        tally.accept(TrainingProgress.newBuilder().setEpoch(0).build());
        ModelVersion m = ModelVersion.newBuilder().setModelName("l5").setVersion(3).setCard(ModelCard.newBuilder()
                .setNeuronModel("l5pc-ampa").setPreset("l5pc-ampa-1x128").setBackend("cuda")
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.99123).setSomaRmseMv(0.5812)
                        .setHitRateAt0P25Fa(0.4567).setVarianceExplained(0.9501))).build();
        assertThat(c.resultLine(m, tally)).isEqualTo("RESULT neuron=l5pc-ampa preset=l5pc-ampa-1x128 auc=0.9912 rmse_mv=0.581"
                + " hit_at_0.25pct=0.4567 var_explained=0.950 train_ms_per_s=6000 epochs=2 backend=cuda model=l5/3");
    }

    @Test
    void resultLineAddsTheNexusFiguresOfADendriticHead() {
        TrainCommand c = parse("--model", "l5", "--neuron", "l5pc-ampa", "--dendritic-head");
        assertThat(c.dendriticHead).isTrue();
        assertThat(c.trainingSpec("c-1", 1).getArchitecture().getResidual()).as("off unless asked").isFalse();
        ModelVersion m = ModelVersion.newBuilder().setModelName("l5").setVersion(1).setCard(ModelCard.newBuilder()
                .setNeuronModel("l5pc-ampa").setPreset("l5pc-ampa-1x128").setBackend("cpu").setDendriteOutputName("nexus_mv")
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.9).setNexusRmseMv(1.2344).setNexusVarianceExplained(0.8765))).build();
        assertThat(c.resultLine(m, new TrainCommand.ProgressTally())).endsWith("model=l5/1 nexus_rmse_mv=1.234 nexus_var_explained=0.877");
    }

    @Test
    void resultLineAddsTheInt8StreamsAccuracy() {
        TrainCommand c = parse("--model", "l5", "--neuron", "l5pc-ampa");
        ModelVersion m = ModelVersion.newBuilder().setModelName("l5").setVersion(2).setCard(ModelCard.newBuilder()
                .setNeuronModel("l5pc-ampa").setPreset("l5pc-ampa-1x128").setBackend("cpu")
                .setMetrics(EvaluationMetrics.newBuilder().setSpikeAuc(0.9).setInt8Form("events").setInt8SpikeAuc(0.89876).setInt8SomaRmseMv(2.3456))).build();
        assertThat(c.resultLine(m, new TrainCommand.ProgressTally())).endsWith("model=l5/2 int8_form=events int8_auc=0.8988 int8_rmse_mv=2.346");
    }
}

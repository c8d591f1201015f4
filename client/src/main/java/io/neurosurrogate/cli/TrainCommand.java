package io.neurosurrogate.cli;

import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJob;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Starts a training job and streams its progress. */
@Command(name = "train", description = "Train a surrogate on stored simulations and follow its progress.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--model", required = true, description = "model name")
    String model;

    @Option(names = "--neuron", description = "neuron model of the dataset (default ${DEFAULT-VALUE})")
    String neuron = "iaf";

    @Option(names = "--campaign", description = "only this campaign's simulations")
    String campaign = "";

    @Option(names = "--preset", description = "architecture preset (default ${DEFAULT-VALUE})")
    String preset = "iaf-reset";

    @Option(names = "--epochs", description = "0 = default")
    int epochs;

    @Option(names = "--min-sims", description = "wait until the dataset holds this many simulations")
    int minSims;

    @Option(names = "--seed", description = "training seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--voltage-weight", description = "weight of the voltage MSE next to the spike BCE, 0 = default")
    double voltageWeight;

    @Option(names = "--learning-rate", description = "0 = default")
    double learningRate;

    @Option(names = "--windows-per-epoch", description = "0 = default")
    int windowsPerEpoch;

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            TrainingConfig.Builder config = TrainingConfig.newBuilder().setSeed(seed);
            config.setEpochs(epochs).setVoltageLossWeight(voltageWeight).setLearningRate(learningRate)
                    .setWindowsPerEpoch(windowsPerEpoch);
            TrainingJob job = conn.client().startTraining(TrainingJobSpec.newBuilder().setModelName(model).setNeuronModel(neuron)
                    .setCampaignId(campaign).setMinSimulations(minSims).setArchitecture(Architecture.newBuilder().setPreset(preset))
                    .setConfig(config).build());
            progress.stage("training job " + job.getJobId());
            TrainingProgress p = conn.client().awaitTraining(job.getJobId(), x -> progress.detail(io.neurosurrogate.client.IafPipeline.describe(x)));
            if (p.getState() != JobState.JOB_STATE_SUCCEEDED) {
                System.out.println("RESULT job=" + job.getJobId() + " state=" + p.getState() + " error=" + p.getError().replace(' ', '_'));
                return 1;
            }
            var m = p.getModel().getCard().getMetrics();
            System.out.println(String.format(Locale.ROOT, "RESULT job=%s model=%s version=%d auc=%.4f rmse_mv=%.3f var_explained=%.3f",
                    job.getJobId(), p.getModel().getModelName(), p.getModel().getVersion(), m.getSpikeAuc(), m.getSomaRmseMv(),
                    m.getVarianceExplained()));
            return 0;
        }
    }
}

package io.neurosurrogate.cli;

import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Runs a simulation campaign and follows it to the end. */
@Command(name = "simulate", description = "Run a simulation campaign; its traces go to Kafka (ns.traces.v1).")
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--neuron", description = "neuron model: iaf, l5pc-nmda, l5pc-ampa, l5pc-nmda:<morphology> (default ${DEFAULT-VALUE})")
    String neuron = "iaf";

    @Option(names = "--engine", description = "simulator: java or neuron (biophysical models; default ${DEFAULT-VALUE})")
    String engine = "java";

    @Option(names = "--input-variant", description = "biophysical models: empty = training input, ood = the paper's out-of-distribution input")
    String inputVariant = "";

    @Option(names = "--count", description = "number of simulations (default ${DEFAULT-VALUE})")
    int count = 16;

    @Option(names = "--duration-ms", description = "neuron time per simulation (default ${DEFAULT-VALUE})")
    int durationMs = 6000;

    @Option(names = "--seed", description = "seed: same seed, same traces (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            progress.stage("campaign: " + count + " x " + neuron + " (" + engine + "), " + durationMs + " ms, seed " + seed);
            CampaignSpec.Builder spec = CampaignSpec.newBuilder().setNeuronModel(neuron).setEngine(engine).setCount(count)
                    .setDurationMs(durationMs).setSeed(seed);
            if (!inputVariant.isEmpty()) {
                spec.setInput(io.neurosurrogate.proto.v1.InputStatistics.newBuilder().setVariant(inputVariant));
            }
            Campaign c = conn.client().startCampaign(spec.build());
            c = conn.client().awaitCampaign(c.getCampaignId(), s -> progress.detail(s.getCompleted() + "/" + count + " done"));
            System.out.println(String.format(Locale.ROOT, "RESULT campaign=%s state=%s sims=%d sim_ms_per_s=%.0f", c.getCampaignId(),
                    c.getState().name().replace("CAMPAIGN_STATE_", "").toLowerCase(Locale.ROOT), c.getCompleted(), c.getSimMsPerS()));
            return c.getState() == io.neurosurrogate.proto.v1.CampaignState.CAMPAIGN_STATE_SUCCEEDED ? 0 : 1;
        }
    }
}

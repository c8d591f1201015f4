package io.neurosurrogate.cli;

import io.neurosurrogate.client.SurrogatePopulation;
import io.neurosurrogate.client.network.RasterPlot;
import io.neurosurrogate.client.network.SonataSpikes;
import io.neurosurrogate.client.network.SurrogateNetwork;
import io.neurosurrogate.proto.v1.ModelVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;

/** A recurrent network of surrogate neurons simulated through the gateway (SurrogateNetwork). */
@Command(name = "network", description = {
        "Simulate a recurrent network of surrogate neurons through the gateway: random sparse connections onto the",
        "neurons' synapses plus Poisson background input, exchanged every --min-delay-ms. Writes the spikes as a SONATA",
        "spike file (spikes.h5) and a raster plot (raster.png), and ends with",
        "RESULT neurons=<n> sim_ms=<..> wall_s=<..> neuron_ms_per_s=<..>"})
final class NetworkCommand implements Callable<Integer> {
    /** jHDF logs one INFO line per object it writes; held here so that the level sticks. */
    private static final java.util.logging.Logger JHDF_LOG = java.util.logging.Logger.getLogger("io.jhdf");

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--model", required = true, description = "served model name (an L5PC surrogate for the paper's network case)")
    String model;

    @Option(names = "--version", description = "model version number or latest (default ${DEFAULT-VALUE})")
    String version = "latest";

    @Option(names = "--neurons", description = "(default ${DEFAULT-VALUE})")
    int neurons = 1000;

    @Option(names = "--duration", description = "simulated time in ms (default ${DEFAULT-VALUE})")
    int durationMs = 1000;

    @Option(names = "--min-delay-ms", description = "shortest synaptic delay = exchange interval (default ${DEFAULT-VALUE})")
    int minDelayMs = 5;

    @Option(names = "--max-delay-ms", description = "longest synaptic delay (default ${DEFAULT-VALUE})")
    int maxDelayMs = 10;

    @Option(names = "--connections", description = "incoming recurrent connections per neuron (default ${DEFAULT-VALUE})")
    int connections = 20;

    @Option(names = "--inhibitory-fraction", description = "share of inhibitory neurons (default ${DEFAULT-VALUE})")
    double inhibitoryFraction = 0.2;

    @Option(names = "--background-exc-hz", description = "Poisson rate on every excitatory synapse (default ${DEFAULT-VALUE})")
    double backgroundExcHz = 4.0;

    @Option(names = "--background-inh-hz", description = "Poisson rate on every inhibitory synapse (default ${DEFAULT-VALUE})")
    double backgroundInhHz = 4.0;

    @Option(names = "--every-bin", description = "count every bin above the spike threshold as a spike (default: a run of"
            + " consecutive bins is one spike, at its first bin)")
    boolean everyBin;

    @Option(names = "--event-driven", description = "first layer event by event (cheaper for sparse input)")
    boolean eventDriven;

    @Option(names = "--seed", description = "connectivity and background seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", description = "output folder (default ${DEFAULT-VALUE})")
    Path out = Path.of("network-out");

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        JHDF_LOG.setLevel(java.util.logging.Level.SEVERE); // also its "writing is in alpha" warning: the files are checked with h5dump in the tests
        Progress progress = new Progress(System.err);
        SurrogateNetwork.Settings settings = new SurrogateNetwork.Settings(neurons, durationMs, minDelayMs, maxDelayMs, connections,
                inhibitoryFraction, backgroundExcHz, backgroundInhHz, seed, !everyBin);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            ModelVersion m = conn.client().listModels().stream()
                    .filter(v -> v.getModelName().equals(model) && v.getLoaded())
                    .filter(v -> version.equals("latest") || Integer.toString(v.getVersion()).equals(version))
                    .max(Comparator.comparingInt(ModelVersion::getVersion))
                    .orElseThrow(() -> new IllegalArgumentException("no loaded version " + version + " of model '" + model
                            + "' (nsurr models lists them)"));
            int nExc = m.getCard().getNExc();
            int nInh = m.getCard().getNInh();
            progress.stage(String.format(Locale.ROOT, "network of %d %s surrogates (%s v%d: %d exc + %d inh synapses), %d connections each",
                    neurons, m.getCard().getNeuronModel(), model, m.getVersion(), nExc, nInh, Math.min(connections, neurons - 1)));
            SurrogateNetwork network = new SurrogateNetwork(settings, nExc, nInh);
            SurrogateNetwork.Result r;
            SurrogatePopulation.Options options = new SurrogatePopulation.Options().version(Integer.toString(m.getVersion()))
                    .eventDriven(eventDriven);
            try (SurrogatePopulation population = conn.client().population(model, neurons, options)) {
                progress.detail(String.format(Locale.ROOT, "%d ms in %d ms intervals over %d stream(s)", durationMs, minDelayMs, population.streams()));
                r = network.run(population, progress::detail);
            }
            Files.createDirectories(out);
            Path spikes = out.resolve("spikes.h5");
            Path raster = out.resolve("raster.png");
            if (r.nodeIds().length > 0) {
                SonataSpikes.write(spikes, "surrogates", r.nodeIds(), r.timestampsMs());
            } else {
                Files.deleteIfExists(spikes);
                progress.detail("no neuron fired: no spike file written (more input: --background-exc-hz, --connections)");
            }
            RasterPlot.write(raster, String.format(Locale.ROOT, "%d %s surrogates (%s v%d), %d ms, mean rate %.1f Hz", neurons,
                    m.getCard().getNeuronModel(), model, m.getVersion(), durationMs, r.meanRateHz()), neurons, network.excitatoryNeurons(),
                    durationMs, r.nodeIds(), r.timestampsMs());
            progress.detail(String.format(Locale.ROOT, "%d spikes (%.2f Hz per neuron); %d recurrent and %d background input spikes",
                    r.nodeIds().length, r.meanRateHz(), r.recurrentSpikesDelivered(), r.externalSpikes()));
            progress.detail("wrote " + (r.nodeIds().length > 0 ? spikes + " (SONATA: /spikes/surrogates/{timestamps,node_ids}) and " : "") + raster);
            System.out.println(String.format(Locale.ROOT,
                    "RESULT neurons=%d sim_ms=%d wall_s=%.3f neuron_ms_per_s=%.0f spikes=%d mean_rate_hz=%.2f recurrent_inputs=%d model=%s version=%d",
                    neurons, durationMs, r.wallSeconds(), r.neuronMsPerSecond(), r.nodeIds().length, r.meanRateHz(),
                    r.recurrentSpikesDelivered(), model, m.getVersion()));
            return 0;
        }
    }
}

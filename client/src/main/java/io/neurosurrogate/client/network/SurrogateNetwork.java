package io.neurosurrogate.client.network;

import io.neurosurrogate.client.SurrogatePopulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A recurrent network of surrogate neurons driven by the gateway: random sparse connectivity from the network's
 * neurons onto their synapses, plus independent Poisson input on every synapse, simulated in lock-step intervals of
 * the minimum synaptic delay (a spike emitted in one interval arrives in a later one, so each interval needs only the
 * outputs of earlier ones: the scheme NEST and other distributed simulators use).
 *
 * <p>Neurons {@code [0, excitatory)} are excitatory, the rest inhibitory (Dale's principle): an excitatory neuron's
 * connections land on random excitatory synapses of its targets ({@code 0 .. nExc-1}, the model card's order), an
 * inhibitory neuron's on inhibitory ones ({@code nExc .. nExc+nInh-1}). Each neuron receives
 * {@code connectionsPerNeuron} connections from distinct other neurons, each with an integer delay drawn uniformly
 * from {@code [minDelayMs, maxDelayMs]}. Everything random comes from one seed.
 */
public final class SurrogateNetwork {

    /**
     * @param inhibitoryFraction share of the neurons that are inhibitory
     * @param externalExcHz      Poisson rate on every excitatory synapse (background input from outside the network)
     * @param externalInhHz      Poisson rate on every inhibitory synapse
     * @param mergeRuns          count a run of consecutive supra-threshold bins as one spike at its first bin (a
     *                           surrogate's spike probability stays high for a bin or two around a spike); false: every
     *                           supra-threshold bin is a spike, as in a window's spike_bins
     */
    public record Settings(int neurons, int durationMs, int minDelayMs, int maxDelayMs, int connectionsPerNeuron,
                           double inhibitoryFraction, double externalExcHz, double externalInhHz, long seed, boolean mergeRuns) {
        public Settings {
            require(neurons >= 1, "neurons must be >= 1");
            require(durationMs >= 1, "duration must be >= 1 ms");
            require(minDelayMs >= 1, "the minimum delay must be >= 1 ms (it is the exchange interval)");
            require(maxDelayMs >= minDelayMs, "the maximum delay must be >= the minimum delay");
            require(connectionsPerNeuron >= 0, "connections per neuron must be >= 0");
            require(inhibitoryFraction >= 0 && inhibitoryFraction <= 1, "the inhibitory fraction must be in [0, 1]");
            require(externalExcHz >= 0 && externalInhHz >= 0 && Double.isFinite(externalExcHz) && Double.isFinite(externalInhHz),
                    "external rates must be finite and >= 0");
        }
    }

    /** One connection, from the presynaptic neuron that owns the list it is in. */
    public record Connection(int target, int synapse, int delayMs) {
    }

    /**
     * The run: output spikes in SONATA's layout (sorted by time; {@code nodeIds[i]} fired at {@code timestampsMs[i]}),
     * and how much went in.
     */
    public record Result(Settings settings, long[] nodeIds, double[] timestampsMs, long recurrentSpikesDelivered,
                         long externalSpikes, long wallNanos) {
        public double wallSeconds() {
            return wallNanos / 1e9;
        }

        /** Mean output rate per neuron in Hz. */
        public double meanRateHz() {
            return nodeIds.length / (settings.neurons() * (settings.durationMs() / 1000.0));
        }

        /** Neuron-milliseconds simulated per wall-clock second. */
        public double neuronMsPerSecond() {
            return settings.neurons() * (double) settings.durationMs() / wallSeconds();
        }
    }

    private final Settings settings;
    private final int nExc;
    private final int nInh;
    private final List<Connection>[] outgoing;
    private final int excitatory;

    @SuppressWarnings("unchecked")
    public SurrogateNetwork(Settings settings, int nExc, int nInh) {
        if (nExc < 1 || nInh < 0) {
            throw new IllegalArgumentException("the model needs at least one excitatory synapse (n_exc " + nExc + ", n_inh " + nInh + ")");
        }
        this.settings = settings;
        this.nExc = nExc;
        this.nInh = nInh;
        int n = settings.neurons();
        this.excitatory = nInh == 0 ? n : n - (int) Math.round(settings.inhibitoryFraction() * n);
        this.outgoing = new List[n];
        for (int i = 0; i < n; i++) {
            outgoing[i] = new ArrayList<>();
        }
        SplittableRandom rng = new SplittableRandom(settings.seed());
        int k = Math.min(settings.connectionsPerNeuron(), n - 1);
        int[] pool = new int[Math.max(0, n - 1)];
        for (int target = 0; target < n; target++) {
            // k distinct presynaptic neurons other than the target: a partial Fisher-Yates shuffle.
            for (int i = 0, v = 0; v < n; v++) {
                if (v != target) {
                    pool[i++] = v;
                }
            }
            for (int c = 0; c < k; c++) {
                int pick = c + rng.nextInt(pool.length - c);
                int source = pool[pick];
                pool[pick] = pool[c];
                pool[c] = source;
                int synapse = source < excitatory ? rng.nextInt(nExc) : nExc + rng.nextInt(nInh);
                int delay = settings.minDelayMs() + rng.nextInt(settings.maxDelayMs() - settings.minDelayMs() + 1);
                outgoing[source].add(new Connection(target, synapse, delay));
            }
        }
    }

    public List<Connection> outgoing(int neuron) {
        return List.copyOf(outgoing[neuron]);
    }

    public int excitatoryNeurons() {
        return excitatory;
    }

    /**
     * Runs the network on {@code population} (which must hold {@code settings.neurons()} neurons at time 0), reporting
     * progress about every tenth of the run.
     */
    @SuppressWarnings("unchecked")
    public Result run(SurrogatePopulation population, Consumer<String> progress) {
        int n = settings.neurons();
        if (population.size() != n || population.timeMs() != 0) {
            throw new IllegalArgumentException("the population must hold " + n + " neurons at time 0");
        }
        if (population.synapses() != nExc + nInh) {
            throw new IllegalArgumentException("the model has " + population.synapses() + " synapses, the network was built for "
                    + (nExc + nInh));
        }
        int duration = settings.durationMs();
        List<SurrogatePopulation.InputSpike>[] arrivals = new List[duration];
        SplittableRandom rng = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        long recurrent = 0;
        long external = 0;
        long[] ids = new long[1024];
        double[] times = new double[1024];
        int spikes = 0;
        int[] lastBin = new int[n];
        Arrays.fill(lastBin, -2);
        long start = System.nanoTime();
        int nextReport = duration / 10;
        for (int from = 0; from < duration; from += settings.minDelayMs()) {
            int to = Math.min(duration, from + settings.minDelayMs());
            List<SurrogatePopulation.InputSpike> in = new ArrayList<>();
            for (int t = from; t < to; t++) {
                if (arrivals[t] != null) {
                    in.addAll(arrivals[t]);
                    recurrent += arrivals[t].size();
                    arrivals[t] = null;
                }
            }
            for (int neuron = 0; neuron < n; neuron++) {
                external += poisson(in, rng, neuron, 0, nExc, settings.externalExcHz(), from, to);
                external += poisson(in, rng, neuron, nExc, nInh, settings.externalInhHz(), from, to);
            }
            SurrogatePopulation.Interval out = population.advance(to, in);
            for (SurrogatePopulation.OutputSpike s : out.spikes()) {
                boolean sameRun = settings.mergeRuns() && lastBin[s.neuron()] == s.timeMs() - 1;
                lastBin[s.neuron()] = s.timeMs();
                if (sameRun) {
                    continue;
                }
                if (spikes == ids.length) {
                    ids = Arrays.copyOf(ids, spikes * 2);
                    times = Arrays.copyOf(times, spikes * 2);
                }
                ids[spikes] = s.neuron();
                times[spikes] = s.timeMs();
                spikes++;
                for (Connection c : outgoing[s.neuron()]) {
                    int arrival = s.timeMs() + c.delayMs();
                    if (arrival < duration) {
                        if (arrivals[arrival] == null) {
                            arrivals[arrival] = new ArrayList<>();
                        }
                        arrivals[arrival].add(new SurrogatePopulation.InputSpike(c.target(), c.synapse(), arrival));
                    }
                }
            }
            if (to >= nextReport && to < duration) {
                progress.accept(String.format(java.util.Locale.ROOT, "%d / %d ms, %d spikes so far, %.1f s", to, duration, spikes,
                        (System.nanoTime() - start) / 1e9));
                nextReport += Math.max(1, duration / 10);
            }
        }
        long wall = System.nanoTime() - start;
        return new Result(settings, Arrays.copyOf(ids, spikes), Arrays.copyOf(times, spikes), recurrent, external, wall);
    }

    /**
     * Poisson input at {@code hz} on each of {@code count} synapses starting at {@code first}, over bins [from, to):
     * their superposition is one Poisson process of rate count x hz, each event on a uniformly chosen synapse.
     */
    private static int poisson(List<SurrogatePopulation.InputSpike> in, SplittableRandom rng, int neuron, int first, int count,
                               double hz, int from, int to) {
        if (count == 0 || hz == 0) {
            return 0;
        }
        double ratePerMs = count * hz / 1000.0;
        int added = 0;
        double t = from;
        while (true) {
            t += -Math.log(1.0 - rng.nextDouble()) / ratePerMs;
            if (t >= to) {
                return added;
            }
            in.add(new SurrogatePopulation.InputSpike(neuron, first + rng.nextInt(count), (int) t));
            added++;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

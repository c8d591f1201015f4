package io.neurosurrogate.client;

import io.neurosurrogate.core.inference.SpikePacking;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamStepResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * N surrogate neurons of one model version, advanced together in time: the co-simulation helper.
 *
 * <p>A network simulator that couples an external model (NEST, Brian2, NEURON, Arbor, or a loop of one's own)
 * exchanges spikes once per communication interval, the network's minimum synaptic delay: whatever a neuron emits in
 * one interval can only reach another one in the next. {@link #advance(int, List)} is that exchange: the input spikes
 * of every neuron for {@code [now, untilMs)} go out, the output spikes of that interval come back. Time is in 1 ms
 * bins (the surrogates' dt); spike times are bin indices from the population's start.
 *
 * <p>On the wire this is the gateway's stateful {@code Stream} rpc: each neuron is a sequence whose
 * convolution history the inference service keeps, all neurons of a stream go in one message per interval, an
 * interval longer than the server's per-request step limit is split, and a population larger than a stream's
 * {@code max_sequences} spreads over several streams. The outputs equal a window prediction of the whole input
 * (the step graph is checked against the window graph when a model is exported).
 *
 * <p>Not thread-safe: one simulation loop drives it. Errors are the gateway's {@link io.grpc.StatusRuntimeException};
 * after one, the population is unusable (its streams are gone) and must be closed.
 */
public final class SurrogatePopulation implements AutoCloseable {
    /** The gateway's default cap on steps per stream request (ns.gateway.stream.max-steps-per-request). */
    public static final int DEFAULT_MAX_STEPS_PER_REQUEST = 1000;

    /** One input spike: onto {@code synapse} (0 .. synapses-1, excitatory first) of {@code neuron}, in bin {@code timeMs}. */
    public record InputSpike(int neuron, int synapse, int timeMs) {
    }

    /** One output spike of {@code neuron} in bin {@code timeMs} (spike probability at or above the model's threshold). */
    public record OutputSpike(int neuron, int timeMs) {
    }

    /** What one {@link #advance} produced for {@code [fromMs, toMs)}. */
    public record Interval(int fromMs, int toMs, List<OutputSpike> spikes, float[][] somaMv, float[][] spikeProb) {
        /** Output spikes ordered by time, then neuron. {@code somaMv}/{@code spikeProb} are [neuron][bin - fromMs], or null unless recorded. */
        public Interval {
            spikes = List.copyOf(spikes);
        }
    }

    /** How to open a population. */
    public static final class Options {
        private String version = "latest";
        private boolean eventDriven;
        private String precision = "fp32";
        private boolean recordVoltage;
        private boolean recordSpikeProbability;
        private int maxStepsPerRequest = DEFAULT_MAX_STEPS_PER_REQUEST;

        /** "latest" (default), "champion" or a version number. */
        public Options version(String version) {
            this.version = Objects.requireNonNull(version);
            return this;
        }

        /** First layer computed event by event (StreamOpen.event_driven): same outputs, cheaper for sparse input. */
        public Options eventDriven(boolean eventDriven) {
            this.eventDriven = eventDriven;
            return this;
        }

        /**
         * "fp32" (default) or "int8": conv layers as int8 products (StreamOpen.precision; faster, approximate,
         * see the model card's metrics.int8_*).
         */
        public Options precision(String precision) {
            this.precision = Objects.requireNonNull(precision);
            return this;
        }

        /** Return the soma voltage of every neuron and bin (mV). */
        public Options recordVoltage(boolean recordVoltage) {
            this.recordVoltage = recordVoltage;
            return this;
        }

        /** Return the spike probability of every neuron and bin. */
        public Options recordSpikeProbability(boolean record) {
            this.recordSpikeProbability = record;
            return this;
        }

        /** Bins per stream request (at most the gateway's ns.gateway.stream.max-steps-per-request). */
        public Options maxStepsPerRequest(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("maxStepsPerRequest must be >= 1, got " + steps);
            }
            this.maxStepsPerRequest = steps;
            return this;
        }
    }

    private final int size;
    private final Options options;
    private final List<SurrogateStream> streams = new ArrayList<>();
    /** Neurons [first[i], first[i] + count[i]) are sequences 0.. of stream i. */
    private final int[] first;
    private final int[] count;
    private final StreamOpened opened;
    private int now;
    private boolean closed;

    private SurrogatePopulation(int size, Options options, Supplier<SurrogateStream> openStream) {
        if (size < 1) {
            throw new IllegalArgumentException("a population needs at least one neuron, got " + size);
        }
        this.size = size;
        this.options = options;
        try {
            SurrogateStream s0 = openStream.get();
            streams.add(s0);
            this.opened = s0.opened();
            int perStream = Math.max(1, opened.getMaxSequences());
            int n = (size + perStream - 1) / perStream;
            first = new int[n];
            count = new int[n];
            for (int i = 0; i < n; i++) {
                SurrogateStream s = i == 0 ? s0 : openStream.get();
                if (i > 0) {
                    streams.add(s);
                    if (s.opened().getVersion() != opened.getVersion()) {
                        throw new IllegalStateException("streams opened different versions (" + opened.getVersion() + ", "
                                + s.opened().getVersion() + "): a newer version loaded meanwhile; open the population with a fixed version");
                    }
                }
                first[i] = i * perStream;
                count[i] = Math.min(perStream, size - first[i]);
                s.start(sequenceIds(count[i]));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code neurons} surrogates of {@code modelName}'s latest version, through the client's gateway. */
    public static SurrogatePopulation open(NeuroSurrogateClient client, String modelName, int neurons) {
        return open(client, modelName, neurons, new Options());
    }

    public static SurrogatePopulation open(NeuroSurrogateClient client, String modelName, int neurons, Options options) {
        return new SurrogatePopulation(neurons, options, () -> client.openStream(io.neurosurrogate.proto.v1.StreamOpen.newBuilder()
                .setModelName(modelName).setVersion(options.version).setEventDriven(options.eventDriven).setPrecision(options.precision).build()));
    }

    /** A population over streams from any source (e.g. {@link SurrogateStream#direct} to an inference service). */
    public static SurrogatePopulation open(Supplier<SurrogateStream> streams, int neurons, Options options) {
        return new SurrogatePopulation(neurons, options, streams);
    }

    public int size() {
        return size;
    }

    /** Synapses per neuron (n_exc + n_inh of the model card): valid synapse indices are 0 .. synapses()-1. */
    public int synapses() {
        return opened.getSynapses();
    }

    /** The model version all streams run (a population never changes version). */
    public int version() {
        return opened.getVersion();
    }

    public double spikeThreshold() {
        return opened.getSpikeThreshold();
    }

    /** The next bin to simulate: the population has been advanced through {@code [0, timeMs())}. */
    public int timeMs() {
        return now;
    }

    /** Streams the population uses ({@code ceil(size / max_sequences)}). */
    public int streams() {
        return streams.size();
    }

    /**
     * Advances every neuron through {@code [timeMs(), untilMs)} with the given input spikes (absolute bins in that
     * interval, any order; a repeated (neuron, synapse, bin) counts once) and returns the interval's output.
     */
    public Interval advance(int untilMs, List<InputSpike> inputs) {
        if (closed) {
            throw new IllegalStateException("population closed");
        }
        if (untilMs < now) {
            throw new IllegalArgumentException("untilMs " + untilMs + " is before the population's time " + now);
        }
        int steps = untilMs - now;
        int synapses = synapses();
        // Per neuron, its spikes as bin << 32 | synapse.
        long[][] perNeuron = new long[size][];
        int[] fill = new int[size];
        for (InputSpike s : inputs) {
            if (s.neuron < 0 || s.neuron >= size) {
                throw new IllegalArgumentException("input spike for neuron " + s.neuron + ": the population has neurons 0.." + (size - 1));
            }
            if (s.synapse < 0 || s.synapse >= synapses) {
                throw new IllegalArgumentException("input spike onto synapse " + s.synapse + ": the model has synapses 0.." + (synapses - 1));
            }
            if (s.timeMs < now || s.timeMs >= untilMs) {
                throw new IllegalArgumentException("input spike at " + s.timeMs + " ms is outside the interval [" + now + ", " + untilMs + ")");
            }
            fill[s.neuron]++;
        }
        for (int n = 0; n < size; n++) {
            perNeuron[n] = new long[fill[n]];
            fill[n] = 0;
        }
        for (InputSpike s : inputs) {
            perNeuron[s.neuron][fill[s.neuron]++] = ((long) (s.timeMs - now) << 32) | s.synapse;
        }

        float[][] soma = options.recordVoltage ? new float[size][steps] : null;
        float[][] prob = options.recordSpikeProbability ? new float[size][steps] : null;
        List<OutputSpike> spikes = new ArrayList<>();
        for (int offset = 0; offset < steps; offset += options.maxStepsPerRequest) {
            int piece = Math.min(options.maxStepsPerRequest, steps - offset);
            for (int si = 0; si < streams.size(); si++) {
                // the packed wire form: per [neuron][bin] the synapses that spiked (duplicates count once)
                SpikePacking.Builder packed = new SpikePacking.Builder(count[si], piece);
                for (int k = 0; k < count[si]; k++) {
                    for (long spike : perNeuron[first[si] + k]) {
                        int bin = (int) (spike >>> 32) - offset;
                        if (bin >= 0 && bin < piece) {
                            packed.add(k, bin, (int) spike);
                        }
                    }
                }
                StreamStepResult r = streams.get(si).step(sequenceIds(count[si]), piece, packed.build());
                int at = 0;
                for (int k = 0; k < count[si]; k++) {
                    int n = first[si] + k;
                    for (int j = 0; j < r.getSpikeCounts(k); j++) {
                        spikes.add(new OutputSpike(n, now + offset + r.getSpikeSteps(at + j)));
                    }
                    at += r.getSpikeCounts(k);
                    if (soma != null) {
                        for (int t = 0; t < piece; t++) {
                            soma[n][offset + t] = r.getSomaMv(k * piece + t);
                        }
                    }
                    if (prob != null) {
                        for (int t = 0; t < piece; t++) {
                            prob[n][offset + t] = r.getSpikeProb(k * piece + t);
                        }
                    }
                }
            }
        }
        spikes.sort(Comparator.comparingInt(OutputSpike::timeMs).thenComparingInt(OutputSpike::neuron));
        Interval out = new Interval(now, untilMs, spikes, soma, prob);
        now = untilMs;
        return out;
    }

    /** Advances with no input spikes. */
    public Interval advance(int untilMs) {
        return advance(untilMs, Collections.emptyList());
    }

    private static List<Long> sequenceIds(int n) {
        List<Long> ids = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            ids.add(i);
        }
        return ids;
    }

    /** Ends the streams (the server frees the neurons' state). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SurrogateStream s : streams) {
            s.close();
        }
    }
}

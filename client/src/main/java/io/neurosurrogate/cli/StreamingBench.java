package io.neurosurrogate.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.client.SurrogateStream;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Step latency of stateful streams, straight to the inference service and through the gateway, side
 * by side in one run: for each population size, a stream on each path, both open at once, take turns
 * request by request (which goes first alternates) with the same random input spikes, single steps;
 * the per-request latencies give p50 / p99.
 */
@Command(name = "streaming", description = "Per-step latency of stateful streams, direct and through the gateway, per population size.")
final class StreamingBench implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Mixin
    BenchTarget.Options served = new BenchTarget.Options();

    @Option(names = "--neurons", split = ",", description = "population sizes (default ${DEFAULT-VALUE})")
    List<Integer> neurons = List.of(1, 64, 1024);

    @Option(names = "--steps", description = "measured single-step requests per path and population size (default ${DEFAULT-VALUE})")
    int steps = 200;

    @Option(names = "--warmup-steps", description = "untimed single-step requests per path before the first round of each"
            + " population size, or as many as fit in --warmup-seconds, so that every process on the path (client, gateway,"
            + " service) has compiled its hot code; each later round warms up with 5 (default ${DEFAULT-VALUE})")
    int warmupSteps = 1000;

    @Option(names = "--warmup-seconds", description = "upper bound on that warm-up per population size (default ${DEFAULT-VALUE})")
    double warmupSeconds = 15;

    @Option(names = "--rounds", description = "rounds, each on a new pair of streams (default ${DEFAULT-VALUE})")
    int rounds = 4;

    @Option(names = "--rate-hz", description = "input firing rate per synapse (default ${DEFAULT-VALUE})")
    double rateHz = 5;

    @Option(names = "--seed", description = "input seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--wire", description = "input spikes as packed (PackedSpikes, what the clients send) or inputs"
            + " (a message per synapse) (default ${DEFAULT-VALUE})")
    StreamWire wire = StreamWire.PACKED;

    @Override
    public Integer call() throws Exception {
        if (neurons.isEmpty() || neurons.stream().anyMatch(n -> n < 1) || steps < rounds || rounds < 1 || warmupSteps < 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--neurons must be >= 1 each, --rounds >= 1, --steps >= --rounds, --warmup-steps >= 0"
                    + " and --warmup-seconds >= 0");
        }
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            BenchTarget target = served.resolve(conn, seed, "bench-streaming", progress);
            ManagedChannel channel = NettyChannelBuilder.forTarget(target.inferenceAddress()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            try {
                Function<Boolean, SurrogateStream> open = viaGateway -> viaGateway
                        ? conn.client().openStream(target.model(), target.version())
                        : SurrogateStream.direct(channel, target.model(), target.version());
                return run(open, progress, target);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private int run(Function<Boolean, SurrogateStream> open, Progress progress, BenchTarget target) {
        String modelName = target.model();
        progress.stage(String.format(Locale.ROOT, "streaming %s v%s: %d single-step requests per path and size, %d alternating rounds"
                        + " (after up to %d untimed, %.0f s at most)", modelName, target.version(), steps, rounds, warmupSteps, warmupSeconds));
        SplittableRandom random = new SplittableRandom(seed);
        double[][] p50 = new double[2][neurons.size()];
        double[][] p99 = new double[2][neurons.size()];
        String modelVersion = target.version();
        for (int k = 0; k < neurons.size(); k++) {
            int n = neurons.get(k);
            long[][] latencies = new long[2][steps];
            int[] filled = new int[2];
            List<Long> ids = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                ids.add(i);
            }
            for (int round = 0; round < rounds; round++) {
                int count = steps / rounds + (round < steps % rounds ? 1 : 0);
                // Both paths open at once and take turns request by request, with the same input, so that
                // whatever else the machine does falls on both alike.
                try (SurrogateStream direct = open.apply(false); SurrogateStream viaGateway = open.apply(true)) {
                    SurrogateStream[] paths = {direct, viaGateway};
                    StreamOpened o = direct.opened();
                    modelVersion = Integer.toString(o.getVersion());
                    for (SurrogateStream stream : paths) {
                        stream.start(ids);
                    }
                    int warmup = round == 0 ? warmupSteps : 5;
                    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    for (int w = 0; w < warmup && (w < 5 || System.nanoTime() < warmupEnd); w++) { // untimed
                        List<StreamStep> in = List.of(wire.step(ids, 1, inputs(random, n, o.getSynapses())));
                        direct.stepPipelined(in, 1);
                        viaGateway.stepPipelined(in, 1);
                    }
                    for (int s = 0; s < count; s++) {
                        List<StreamStep> in = List.of(wire.step(ids, 1, inputs(random, n, o.getSynapses())));
                        for (int turn = 0; turn < 2; turn++) {
                            int p = (s + round + turn) % 2 == 0 ? 0 : 1;
                            long t0 = System.nanoTime();
                            paths[p].stepPipelined(in, 1);
                            latencies[p][filled[p]++] = System.nanoTime() - t0;
                        }
                    }
                    for (SurrogateStream stream : paths) {
                        stream.end(ids);
                    }
                }
            }
            for (int p = 0; p < 2; p++) {
                long[] l = Arrays.copyOf(latencies[p], filled[p]);
                Arrays.sort(l);
                p50[p][k] = l[(int) Math.floor(0.5 * (l.length - 1))] / 1e6;
                p99[p][k] = l[(int) Math.floor(0.99 * (l.length - 1))] / 1e6;
            }
            progress.detail(String.format(Locale.ROOT, "%5d neurons: direct p50 %.3f ms p99 %.3f ms (%.0f neuron-steps/s); gateway p50 %.3f ms p99 %.3f ms (%.0f neuron-steps/s)",
                    n, p50[0][k], p99[0][k], n / (p50[0][k] / 1000), p50[1][k], p99[1][k], n / (p50[1][k] / 1000)));
        }
        System.out.printf("%8s %14s %14s %14s %14s%n", "neurons", "direct p50 ms", "direct p99 ms", "gateway p50 ms", "gateway p99 ms");
        for (int k = 0; k < neurons.size(); k++) {
            System.out.printf(Locale.ROOT, "%8d %14.3f %14.3f %14.3f %14.3f%n", neurons.get(k), p50[0][k], p99[0][k], p50[1][k], p99[1][k]);
        }
        int last = neurons.size() - 1;
        System.out.printf(Locale.ROOT, "RESULT model=%s/%s wire=%s neurons=%d direct_p50_ms=%.3f direct_p99_ms=%.3f gateway_p50_ms=%.3f"
                        + " gateway_p99_ms=%.3f direct_neuron_steps_per_s=%.0f gateway_overhead=%.3f%n",
                modelName, modelVersion, wire.name().toLowerCase(Locale.ROOT), neurons.get(last), p50[0][last], p99[0][last], p50[1][last], p99[1][last],
                neurons.get(last) / (p50[0][last] / 1000), p50[1][last] / p50[0][last]);
        System.out.flush();
        return 0;
    }

    /** One step of input for n neurons: each synapse spikes with probability rate x 1 ms. */
    private List<SparseNeuronInput> inputs(SplittableRandom random, int n, int synapses) {
        double p = rateHz / 1000.0;
        List<SparseNeuronInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SparseNeuronInput.Builder b = SparseNeuronInput.newBuilder();
            for (int s = 0; s < synapses; s++) {
                if (random.nextDouble() < p) {
                    b.addSynapses(SynapseSpikes.newBuilder().setSynapse(s).addBins(0));
                }
            }
            out.add(b.build());
        }
        return out;
    }
}

package io.neurosurrogate.cli;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.proto.oip.GRPCInferenceServiceGrpc;
import io.neurosurrogate.proto.oip.ModelInferRequest;
import io.neurosurrogate.proto.oip.ModelMetadataRequest;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Bounded load on the gateway (loopback, a fixed number of requests at a fixed concurrency), side by side with
 * the same requests sent straight to the inference service, in alternating rounds so that both paths see the
 * same machine: the project's Predict through the gateway, the same windows as Open Inference Protocol
 * ModelInfer through the gateway, and Predict direct. Throughput (requests/s), latency p50/p99 and errors per
 * path; overhead = direct rps / gateway rps.
 */
@Command(name = "gateway", description = "Gateway throughput and latency under bounded load, against the inference service direct.")
final class GatewayBench implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Mixin
    BenchTarget.Options served = new BenchTarget.Options();

    @Option(names = "--requests", description = "measured requests per path (default ${DEFAULT-VALUE})")
    int requests = 2000;

    @Option(names = "--concurrency", description = "requests in flight per path (default ${DEFAULT-VALUE})")
    int concurrency = 8;

    @Option(names = "--neurons", description = "neurons per request (default ${DEFAULT-VALUE})")
    int neurons = 4;

    @Option(names = "--time-ms", description = "window length per request (default ${DEFAULT-VALUE})")
    int timeMs = 100;

    @Option(names = "--warmup", description = "unmeasured requests per path first, so that the JIT compilers of the gateway"
            + " and the service have done their work (default ${DEFAULT-VALUE})")
    int warmup = 1000;

    @Option(names = "--rounds", description = "rounds the paths alternate in (default ${DEFAULT-VALUE})")
    int rounds = 4;

    @Option(names = "--rate-hz", description = "input firing rate per synapse (default ${DEFAULT-VALUE})")
    double rateHz = 5;

    @Option(names = "--seed", description = "input seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    private static final String[] PATHS = {"direct", "gateway", "oip"};
    private static final int DISTINCT_INPUTS = 16;

    @Override
    public Integer call() throws Exception {
        if (requests < rounds || rounds < 1 || concurrency < 1 || neurons < 1 || timeMs < 1 || requests > 1_000_000
                || warmup < 0 || warmup > 1_000_000) {
            throw new IllegalArgumentException("--requests must be in [--rounds, 1000000], --warmup in [0, 1000000], --rounds, --concurrency,"
                    + " --neurons, --time-ms >= 1");
        }
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            BenchTarget target = served.resolve(conn, seed, "bench-gateway", progress);
            ManagedChannel directChannel = NettyChannelBuilder.forTarget(target.inferenceAddress()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            try {
                return run(conn.client().channel(), directChannel, target, progress);
            } finally {
                directChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private int run(Channel gatewayChannel, Channel directChannel, BenchTarget target, Progress progress) throws InterruptedException {
        String modelName = target.model();
        var metadata = GRPCInferenceServiceGrpc.newBlockingStub(gatewayChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .modelMetadata(ModelMetadataRequest.newBuilder().setName(modelName).setVersion(target.version()).build());
        int synapses = (int) metadata.getInputs(0).getShape(1);
        String resolved = metadata.getParametersOrThrow("version").getStringParam();
        String input = metadata.getInputs(0).getName();
        SplittableRandom random = new SplittableRandom(seed);
        List<PredictRequest> predicts = new ArrayList<>();
        List<ModelInferRequest> infers = new ArrayList<>();
        for (int i = 0; i < DISTINCT_INPUTS; i++) {
            float[] dense = new float[neurons * synapses * timeMs];
            PredictRequest.Builder p = PredictRequest.newBuilder().setModelName(modelName).setVersion(resolved)
                    .setBatch(neurons).setSynapses(synapses).setTimeMs(timeMs);
            for (int n = 0; n < neurons; n++) {
                SparseNeuronInput.Builder neuron = p.addSparseBuilder();
                for (int s = 0; s < synapses; s++) {
                    SynapseSpikes.Builder spikes = null;
                    for (int t = 0; t < timeMs; t++) {
                        if (random.nextDouble() < rateHz / 1000.0) {
                            if (spikes == null) {
                                spikes = neuron.addSynapsesBuilder().setSynapse(s);
                            }
                            spikes.addBins(t);
                            dense[(n * synapses + s) * timeMs + t] = 1;
                        }
                    }
                }
            }
            predicts.add(p.build());
            ByteBuffer raw = ByteBuffer.allocate(dense.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : dense) {
                raw.putFloat(v);
            }
            raw.flip();
            ModelInferRequest.Builder infer = ModelInferRequest.newBuilder().setModelName(modelName).setModelVersion(resolved);
            infer.addInputsBuilder().setName(input).setDatatype("FP32").addShape(neurons).addShape(synapses).addShape(timeMs);
            infers.add(infer.addRawInputContents(ByteString.copyFrom(raw)).build());
        }
        List<Function<Integer, ListenableFuture<?>>> calls = List.of(
                i -> InferenceServiceGrpc.newFutureStub(directChannel).withDeadlineAfter(60, TimeUnit.SECONDS).predict(predicts.get(i % DISTINCT_INPUTS)),
                i -> NeuroSurrogateGrpc.newFutureStub(gatewayChannel).withDeadlineAfter(60, TimeUnit.SECONDS).predict(predicts.get(i % DISTINCT_INPUTS)),
                i -> GRPCInferenceServiceGrpc.newFutureStub(gatewayChannel).withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(infers.get(i % DISTINCT_INPUTS)));

        progress.stage(String.format(Locale.ROOT, "%s v%s: %d requests per path (%d neurons x %d ms each), %d in flight, %d alternating rounds,"
                + " after %d warm-up requests per path", modelName, resolved, requests, neurons, timeMs, concurrency, rounds, warmup));
        for (int p = 0; p < PATHS.length; p++) {
            pass(calls.get(p), warmup, new long[warmup], new AtomicInteger(), new TreeMap<>());
        }
        long[][] latencies = new long[PATHS.length][requests];
        long[] wallNanos = new long[PATHS.length];
        int[] filled = new int[PATHS.length];
        AtomicInteger[] errors = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        List<Map<Status.Code, Integer>> codes = List.of(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        for (int round = 0; round < rounds; round++) {
            int count = requests / rounds + (round < requests % rounds ? 1 : 0);
            for (int k = 0; k < PATHS.length; k++) {
                int p = (round + k) % PATHS.length;
                long[] l = new long[count];
                long t0 = System.nanoTime();
                pass(calls.get(p), count, l, errors[p], codes.get(p));
                wallNanos[p] += System.nanoTime() - t0;
                System.arraycopy(l, 0, latencies[p], filled[p], count);
                filled[p] += count;
            }
        }
        double[] rps = new double[PATHS.length];
        double[] p50 = new double[PATHS.length];
        double[] p99 = new double[PATHS.length];
        System.out.printf("%8s %10s %10s %10s %8s%n", "path", "req/s", "p50 ms", "p99 ms", "errors");
        for (int p = 0; p < PATHS.length; p++) {
            long[] l = Arrays.copyOf(latencies[p], filled[p]);
            Arrays.sort(l);
            rps[p] = filled[p] / (wallNanos[p] / 1e9);
            p50[p] = l[(int) Math.floor(0.5 * (l.length - 1))] / 1e6;
            p99[p] = l[(int) Math.floor(0.99 * (l.length - 1))] / 1e6;
            System.out.printf(Locale.ROOT, "%8s %10.1f %10.3f %10.3f %8d %s%n", PATHS[p], rps[p], p50[p], p99[p], errors[p].get(),
                    codes.get(p).isEmpty() ? "" : codes.get(p).toString());
        }
        System.out.printf(Locale.ROOT, "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d direct_rps=%.1f overhead=%.3f oip_rps=%.1f oip_p50_ms=%.3f"
                        + " oip_p99_ms=%.3f oip_errors=%d requests=%d concurrency=%d neurons=%d time_ms=%d model=%s/%s%n",
                rps[1], p50[1], p99[1], errors[1].get(), rps[0], rps[0] / rps[1], rps[2], p50[2], p99[2], errors[2].get(),
                requests, concurrency, neurons, timeMs, modelName, resolved);
        System.out.flush();
        return errors[0].get() + errors[1].get() + errors[2].get() == 0 ? 0 : 1;
    }

    /** {@code count} calls, at most {@link #concurrency} in flight; each call's latency into {@code latencies}. */
    private void pass(Function<Integer, ListenableFuture<?>> call, int count, long[] latencies, AtomicInteger errors,
                      Map<Status.Code, Integer> codes) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int index = i;
            long t0 = System.nanoTime();
            Futures.addCallback(call.apply(i), new FutureCallback<Object>() {
                @Override
                public void onSuccess(Object result) {
                    latencies[index] = System.nanoTime() - t0;
                    inFlight.release();
                }

                @Override
                public void onFailure(Throwable t) {
                    latencies[index] = System.nanoTime() - t0;
                    errors.incrementAndGet();
                    synchronized (codes) {
                        codes.merge(Status.fromThrowable(t).getCode(), 1, Integer::sum);
                    }
                    inFlight.release();
                }
            }, MoreExecutors.directExecutor());
        }
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
    }
}

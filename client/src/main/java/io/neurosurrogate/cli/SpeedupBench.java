package io.neurosurrogate.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.client.SurrogateStream;
import io.neurosurrogate.core.ResultLines;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The paper's speed claim measured on one machine, in one run, on the same input, single-threaded
 * everywhere: the Java engine and NEURON (child JVM on the simulator's classpath) against the served
 * surrogate in its three forms (window {@code Predict}, dense stream, event-driven stream), straight
 * to the inference service, for a population of identical neurons; and the machine's physical floors,
 * the rate the model card's multiply-add counts would allow at the measured single-thread Gemm rate
 * (child JVM on the trainer's classpath). Ends with one RESULT line.
 */
@Command(name = "speedup", description = "Simulators vs the served surrogate (window, stream, event-driven stream, int8 stream) on the same input,"
        + " single-threaded, with the machine's physical floors.")
final class SpeedupBench implements Callable<Integer> {
    static final List<String> NEURONS = List.of("iaf", "l5pc-ampa", "l5pc-nmda");
    /** The inference service's default ns.inference.stream.max-steps-per-request. */
    static final int MAX_STEPS_PER_REQUEST = 1000;
    /** Window responses are kept under this (two float arrays per neuron and bin). */
    static final long MAX_RESPONSE_BYTES = 8L << 20;
    /** Requests are kept well under the inference service's quarkus.grpc.server.max-inbound-message-size (64 MiB). */
    static final long MAX_REQUEST_BYTES = 32L << 20;
    static final int MAX_INBOUND_BYTES = 64 << 20;
    /** Untimed stretch that each surrogate mode runs first (ONNX Runtime allocations, JIT, connections). */
    static final int WARM_UP_MS = 200;
    /** Stream and event-driven stream compute the same function; window and stream too, after the receptive field. */
    static final double TOLERANCE = 1e-4;
    /** Requests per timed stream pass when they are pipelined (--in-flight > 1). */
    static final int PIPELINED_REQUESTS = 8;

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--neuron", required = true, description = "iaf, l5pc-ampa or l5pc-nmda: the simulated neuron and its input")
    String neuron;

    @Option(names = "--model", required = true, description = "served model name (trained on that neuron)")
    String model;

    @Option(names = "--version", description = "model version (default ${DEFAULT-VALUE})")
    String version = "latest";

    @Option(names = "--inference", description = "inference service host:port (default: the local stack's)")
    String inference;

    @Option(names = "--duration-ms", description = "simulated time (default ${DEFAULT-VALUE})")
    int durationMs = 2000;

    @Option(names = "--neurons", description = "surrogate population: copies of the simulated input (default ${DEFAULT-VALUE})")
    int neurons = 256;

    @Option(names = "--seed", description = "input seed (default ${DEFAULT-VALUE})")
    long seed = 2;

    @Option(names = "--morphology", description = "l5pc-* only: morphology file (.asc/.swc); default: the built-in L5PC-like cell")
    Path morphology;

    /**
     * One at a time by default: on this 2-core machine two in flight (8 requests per pass) measured the same
     * rates (ampa 1x128 rank 16: 201 k vs 197-232 k neuron-ms/s event-driven; BENCHMARKS.md), since the
     * client and the server already keep both cores busy.
     */
    @Option(names = "--in-flight", description = "stream requests sent ahead of their answers (the input is known in advance);"
            + " 1 = one at a time (default ${DEFAULT-VALUE})")
    int inFlight = 1;

    @Option(names = "--wire", description = "input spikes of stream and Predict requests: packed (PackedSpikes, what the clients send) or inputs"
            + " (a message per synapse) (default ${DEFAULT-VALUE})")
    StreamWire wire = StreamWire.PACKED;

    /** One surrogate mode's timed pass: neuron-ms per wall second, and the first neuron's outputs. */
    record Pass(double msPerS, float[] spikeProb, float[] somaMv, int receptiveFieldMs) {
    }

    /**
     * The int8 stream (StreamOpen.precision = int8; event-driven when the model has an int8 events
     * graph): its rate, the int8 product rate and the floor it gives, and how far its outputs lie from
     * the float stream's. Not part of {@link Figures#best()}: it is an approximation.
     */
    record Int8Figures(String form, double msPerS, double gmacPerS, double floor, double maxDiffProb, double maxDiffMv) {
        static Int8Figures none(double gmacPerS) {
            return new Int8Figures("na", Double.NaN, gmacPerS, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** Everything the RESULT line reports; NaN where a figure is not available. */
    record Figures(String neuron, String model, int neurons, int durationMs, double javaMsPerS, double neuronMsPerS,
                   double windowMsPerS, double streamMsPerS, double sparseMsPerS, double gmacPerS, double denseFloor,
                   double sparseFloor, Int8Figures int8) {
        double best() {
            double best = Double.NaN;
            for (double v : new double[]{windowMsPerS, streamMsPerS, sparseMsPerS}) {
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                    best = v;
                }
            }
            return best;
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Progress progress = new Progress(System.err);
        if (inference != null) {
            return run(inference, progress);
        }
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            if (conn.stack() == null) {
                throw new IllegalArgumentException("with --gateway, name the inference service to measure: --inference host:port");
            }
            return run(conn.stack().inferenceAddress(), progress);
        }
    }

    void validate() {
        if (!NEURONS.contains(neuron)) {
            throw new IllegalArgumentException("--neuron must be one of " + String.join(", ", NEURONS) + ", got " + neuron);
        }
        if (neurons < 1) {
            throw new IllegalArgumentException("--neurons must be >= 1, got " + neurons);
        }
        if (durationMs < 1) {
            throw new IllegalArgumentException("--duration-ms must be >= 1, got " + durationMs);
        }
        if (inFlight < 1 || inFlight > 16) {
            throw new IllegalArgumentException("--in-flight must be in 1..16, got " + inFlight);
        }
        if (!io.neurosurrogate.core.model.VersionAliases.PATTERN.matcher(version).matches()) {
            throw new IllegalArgumentException("--version must be 'latest', 'champion' or a version number, got " + version);
        }
        if (morphology != null && neuron.equals("iaf")) {
            throw new IllegalArgumentException("--morphology applies to the l5pc-* cells only, not to iaf");
        }
        if (morphology != null && !Files.isReadable(morphology)) {
            throw new IllegalArgumentException("morphology file " + morphology + " cannot be read");
        }
    }

    private int run(String address, Progress progress) throws IOException, InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(MAX_INBOUND_BYTES).build();
        Path inputFile = Files.createTempFile("nsurr-speedup-", ".pb");
        try {
            List<ModelVersion> loaded = InferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .listLoadedModels(ListLoadedModelsRequest.getDefaultInstance()).getModelsList();
            ModelVersion served = pick(loaded, model, version, address);
            ModelCard card = served.getCard();
            int modelSynapses = card.getNExc() + card.getNInh();
            String modelVersion = Integer.toString(served.getVersion());
            progress.stage(String.format(Locale.ROOT, "model %s v%s at %s: %s, %d synapses, receptive field %d ms, trained on %s",
                    model, modelVersion, address, card.getArchitecture(), modelSynapses, card.getReceptiveFieldMs(), card.getNeuronModel()));
            if (!card.getNeuronModel().isEmpty() && !card.getNeuronModel().equals(neuron)) {
                progress.detail("note: the model was trained on " + card.getNeuronModel() + ", the input here is " + neuron + "'s");
            }

            progress.stage(String.format(Locale.ROOT, "simulators, single thread: Java engine (best of 2) and NEURON, %s, %d ms, seed %d",
                    neuron, durationMs, seed));
            Map<String, String> sim = ResultLines.fields(child(simulatorCommand(BenchCommand.quarkusAppClasspath("simulator-service"), inputFile),
                    "SIM", "the simulator benchmark", progress));
            int synapses = Integer.parseInt(sim.get("synapses"));
            if (synapses != modelSynapses) {
                throw new IllegalArgumentException("model " + model + " v" + modelVersion + " takes " + modelSynapses + " synapses, the simulated "
                        + neuron + (morphology == null ? "" : " on " + morphology.getFileName()) + " has " + synapses
                        + ": benchmark a model trained on this neuron");
            }
            double spikesPerMs = Double.parseDouble(sim.get("input_spikes_per_ms"));
            int[][] bins;
            try (InputStream in = Files.newInputStream(inputFile)) {
                bins = readInput(in, synapses);
            }

            progress.stage("machine multiply-add rate: one Gemm [1024, 2048] x [128, 2048]^T in ONNX Runtime, 1 intra-op thread, float and int8");
            Map<String, String> gemm = ResultLines.fields(child(gemmCommand(BenchCommand.quarkusAppClasspath("trainer-service")),
                    "GEMM", "the Gemm rate measurement", progress));
            double gmacPerS = Double.parseDouble(gemm.get("gmac_per_s"));
            double int8GmacPerS = number(gemm.get("int8_gmac_per_s"));

            progress.stage(String.format(Locale.ROOT, "surrogate %s v%s, %d neurons x %d ms, straight to the inference service",
                    model, modelVersion, neurons, durationMs));
            Pass window = window(channel, modelVersion, synapses, bins, progress);
            Pass stream = stream(channel, modelVersion, false, "fp32", synapses, bins, progress);
            Pass sparse = null;
            String sparseNa = null;
            try {
                sparse = stream(channel, modelVersion, true, "fp32", synapses, bins, progress);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                    throw e;
                }
                sparseNa = e.getStatus().getDescription();
                progress.detail("sparse (event-driven stream): na: " + sparseNa);
            } catch (UnsupportedByServer e) {
                sparseNa = e.getMessage();
                progress.detail("sparse (event-driven stream): na: " + sparseNa);
            }

            Int8Figures int8 = int8(channel, modelVersion, sparse, stream, card, spikesPerMs, gmacPerS, int8GmacPerS, synapses, bins, progress);

            Figures f = new Figures(neuron, model + "/" + modelVersion, neurons, durationMs,
                    number(sim.get("java_sim_ms_per_s")), number(sim.get("neuron_sim_ms_per_s")),
                    window.msPerS(), stream.msPerS(), sparse == null ? Double.NaN : sparse.msPerS(), gmacPerS,
                    denseFloor(gmacPerS, card.getStepMacs()),
                    sparseFloor(gmacPerS, spikesPerMs, card.getEventsColumn(), card.getEventsTailMacs()), int8);
            report(f, card, synapses, spikesPerMs, windowLength(durationMs, synapses), window, stream, sparse, sparseNa);
            return 0;
        } finally {
            Files.deleteIfExists(inputFile);
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    List<String> simulatorCommand(String classpath, Path out) {
        List<String> cmd = new ArrayList<>(List.of(BenchCommand.javaBinary(), "-Xmx2g", "-cp", classpath,
                "io.neurosurrogate.simulator.bench.SpeedupSimulation",
                "--neuron", neuron, "--duration-ms", Integer.toString(durationMs), "--seed", Long.toString(seed)));
        if (morphology != null) {
            cmd.add("--morphology");
            cmd.add(morphology.toAbsolutePath().toString());
        }
        cmd.add("--out");
        cmd.add(out.toAbsolutePath().toString());
        return cmd;
    }

    static List<String> gemmCommand(String classpath) {
        return List.of(BenchCommand.javaBinary(), "-Xmx1g", "-cp", classpath, "io.neurosurrogate.trainer.bench.GemmRate");
    }

    /**
     * Runs a benchmark child JVM; its output goes to the progress lines except the one starting with
     * {@code prefix}, which is returned. A failure names the child's own error line.
     */
    private static String child(List<String> command, String prefix, String what, Progress progress) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        String error = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix + " ")) {
                    result = line;
                } else {
                    if (line.startsWith("error: ")) {
                        error = line.substring("error: ".length());
                    }
                    progress.detail(line);
                }
            }
            int code = p.waitFor();
            if (code != 0 || result == null) {
                throw new IllegalStateException(what + " failed" + (error != null ? ": " + error : " (exit code " + code + ", output above)"));
            }
            return result;
        } finally {
            if (p.isAlive()) {
                p.destroy();
            }
        }
    }

    // ---- surrogate passes ---------------------------------------------------------------------

    private Pass window(ManagedChannel channel, String modelVersion, int synapses, int[][] bins, Progress progress) {
        InferenceServiceGrpc.InferenceServiceBlockingStub stub = InferenceServiceGrpc.newBlockingStub(channel);
        int windowMs = windowLength(durationMs, synapses);
        int warmUpMs = Math.min(durationMs, WARM_UP_MS);
        predictAll(stub, modelVersion, synapses, slices(bins, warmUpMs, windowMs), windowMs, warmUpMs, null, null);
        List<SparseNeuronInput> timed = slices(bins, durationMs, windowMs);
        float[] spikeProb = new float[durationMs];
        float[] somaMv = new float[durationMs];
        long t0 = System.nanoTime();
        int requests = predictAll(stub, modelVersion, synapses, timed, windowMs, durationMs, spikeProb, somaMv);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = (double) neurons * durationMs / seconds;
        progress.detail(String.format(Locale.ROOT, "window (Predict, %s input, %d ms windows, %d requests): %.2f s, %.1f neuron-ms per s",
                wire.name().toLowerCase(Locale.ROOT), windowMs, requests, seconds, rate));
        return new Pass(rate, spikeProb, somaMv, 0);
    }

    /** Predicts every window for all neurons, in batches; the first neuron's outputs go to the arrays when given. */
    private int predictAll(InferenceServiceGrpc.InferenceServiceBlockingStub stub, String modelVersion, int synapses,
                           List<SparseNeuronInput> windows, int windowMs, int spanMs, float[] spikeProb, float[] somaMv) {
        int requests = 0;
        for (int w = 0; w < windows.size(); w++) {
            SparseNeuronInput input = windows.get(w);
            int start = w * windowMs;
            int length = Math.min(windowMs, spanMs - start);
            int batch = batchSize(neurons, synapses, length, input.getSerializedSize());
            for (int done = 0; done < neurons; done += batch) {
                int n = Math.min(batch, neurons - done);
                PredictResponse r = stub.predict(wire.predictInput(PredictRequest.newBuilder().setModelName(model).setVersion(modelVersion)
                        .setBatch(n).setSynapses(synapses).setTimeMs(length), n, length, input).build());
                requests++;
                if (done == 0 && spikeProb != null) {
                    NeuronPrediction first = r.getNeurons(0);
                    for (int t = 0; t < length; t++) {
                        spikeProb[start + t] = first.getSpikeProb(t);
                        somaMv[start + t] = first.getSomaMv(t);
                    }
                }
            }
        }
        return requests;
    }

    /**
     * The int8 stream, event-driven when the float event-driven stream ran and the model has an int8
     * events graph, else dense; its outputs compared with the float stream of the same form.
     */
    private Int8Figures int8(ManagedChannel channel, String modelVersion, Pass sparse, Pass stream, ModelCard card, double spikesPerMs,
                             double gmacPerS, double int8GmacPerS, int synapses, int[][] bins, Progress progress) {
        List<Boolean> forms = sparse != null ? List.of(true, false) : List.of(false);
        String na = "the inference service has no int8 form of this model";
        for (boolean eventDriven : forms) {
            try {
                Pass p = stream(channel, modelVersion, eventDriven, "int8", synapses, bins, progress);
                Pass reference = eventDriven ? sparse : stream;
                double floor = eventDriven
                        ? int8Floor(gmacPerS, int8GmacPerS, spikesPerMs * card.getEventsColumn(), card.getEventsTailMacs())
                        : int8Floor(gmacPerS, int8GmacPerS, 0, card.getStepMacs());
                return new Int8Figures(eventDriven ? "sparse" : "stream", p.msPerS(), int8GmacPerS, floor,
                        maxAbsDiff(reference.spikeProb(), p.spikeProb(), 0, 0), maxAbsDiff(reference.somaMv(), p.somaMv(), 0, 0));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION && e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                    throw e;
                }
                na = e.getStatus().getDescription();
            } catch (UnsupportedByServer e) {
                na = e.getMessage();
            }
        }
        progress.detail("int8 stream: na: " + na);
        return Int8Figures.none(int8GmacPerS);
    }

    private Pass stream(ManagedChannel channel, String modelVersion, boolean eventDriven, String precision, int synapses, int[][] bins,
                        Progress progress) {
        String label = (eventDriven ? "sparse (event-driven stream)" : "stream (step graph)") + (precision.equals("int8") ? ", int8" : "");
        StreamOpen open = StreamOpen.newBuilder().setModelName(model).setVersion(modelVersion).setEventDriven(eventDriven)
                .setPrecision(precision).build();
        try (SurrogateStream s = SurrogateStream.direct(channel, open)) {
            StreamOpened opened = s.opened();
            if (eventDriven && !opened.getEventDriven()) {
                throw new UnsupportedByServer("the inference service opened a dense stream: it predates StreamOpen.event_driven");
            }
            if (!opened.getPrecision().equals(precision) && !(precision.equals("fp32") && opened.getPrecision().isEmpty())) {
                throw new UnsupportedByServer("the inference service opened a '" + opened.getPrecision() + "' stream: it predates StreamOpen.precision");
            }
            if (neurons > opened.getMaxSequences()) {
                throw new IllegalArgumentException("--neurons " + neurons + " is more than one stream may hold (max_sequences "
                        + opened.getMaxSequences() + ", ns.inference.stream.max-sequences)");
            }
            int steps = stepsPerRequest(neurons, synapses, wire.bytesPerMs(slice(bins, 0, durationMs), durationMs), durationMs, inFlight);
            List<Long> warmIds = ids(0, neurons);
            int warmUpMs = Math.min(durationMs, WARM_UP_MS);
            s.start(warmIds);
            s.stepPipelined(requests(warmIds, bins, warmUpMs, steps), inFlight);
            s.end(warmIds);

            // Requests are built before the clock starts (the caller's simulator would have them ready);
            // their serialisation, transfer, parsing and the answers are timed.
            List<Long> timedIds = ids(neurons, neurons);
            List<StreamStep> timed = requests(timedIds, bins, durationMs, steps);
            float[] spikeProb = new float[durationMs];
            float[] somaMv = new float[durationMs];
            long t0 = System.nanoTime();
            s.start(timedIds);
            List<StreamStepResult> results = s.stepPipelined(timed, inFlight);
            double seconds = (System.nanoTime() - t0) / 1e9;
            s.end(timedIds);
            for (int r = 0; r < results.size(); r++) {
                for (int t = 0; t < timed.get(r).getSteps(); t++) {
                    spikeProb[r * steps + t] = results.get(r).getSpikeProb(t);
                    somaMv[r * steps + t] = results.get(r).getSomaMv(t);
                }
            }
            double computeS = 0;
            for (StreamStepResult r : results) {
                computeS += r.getComputeMs() / 1000;
            }
            double rate = (double) neurons * durationMs / seconds;
            progress.detail(String.format(Locale.ROOT, "%s (%s input, %d steps per request, %d requests, %.1f MB each): %.2f s (server compute"
                            + " %.2f s), %.1f neuron-ms per s", label, wire.name().toLowerCase(Locale.ROOT), steps, timed.size(),
                    timed.get(0).getSerializedSize() / 1e6, seconds, computeS, rate));
            return new Pass(rate, spikeProb, somaMv, opened.getReceptiveFieldMs());
        }
    }

    /** Step requests of {@code steps} bins covering [0, spanMs), every sequence with the same input. */
    private List<StreamStep> requests(List<Long> ids, int[][] bins, int spanMs, int steps) {
        List<SparseNeuronInput> slices = slices(bins, spanMs, steps);
        List<StreamStep> out = new ArrayList<>(slices.size());
        for (int r = 0; r < slices.size(); r++) {
            out.add(wire.replicated(ids, Math.min(steps, spanMs - r * steps), slices.get(r)));
        }
        return out;
    }

    private static List<Long> ids(long first, int count) {
        List<Long> ids = new ArrayList<>(count);
        for (long i = 0; i < count; i++) {
            ids.add(first + i);
        }
        return ids;
    }

    /** A stream option (event_driven, precision) is not offered by this server: an older one ignores the field. */
    static final class UnsupportedByServer extends RuntimeException {
        UnsupportedByServer(String message) {
            super(message);
        }
    }

    // ---- output -------------------------------------------------------------------------------

    private void report(Figures f, ModelCard card, int synapses, double spikesPerMs, int windowMs, Pass window, Pass stream,
                        Pass sparse, String sparseNa) {
        System.out.printf(Locale.ROOT, "speedup: %s, model %s, %d neurons x %d ms, %d synapses, %.2f input spikes per ms%n",
                f.neuron(), f.model(), f.neurons(), f.durationMs(), synapses, spikesPerMs);
        System.out.println("single-threaded everywhere: each simulator on one thread; ONNX Runtime on 1 intra-op thread for the Gemm rate here"
                + " and in the inference service (ns.inference.intra-op-threads, 1 by default)");
        System.out.printf("%-40s %16s %10s %10s%n", "", "neuron-ms per s", "vs NEURON", "vs Java");
        row("Java engine (1 thread)", f.javaMsPerS(), f);
        row("NEURON (1 thread)", f.neuronMsPerS(), f);
        row("surrogate window (Predict)", f.windowMsPerS(), f);
        row("surrogate stream (step graph)", f.streamMsPerS(), f);
        row("surrogate sparse (event-driven stream)", f.sparseMsPerS(), f);
        row("dense floor (step_macs " + card.getStepMacs() + ")", f.denseFloor(), f);
        row("sparse floor (events " + card.getEventsColumn() + "/spike + " + card.getEventsTailMacs() + ")", f.sparseFloor(), f);
        row("surrogate int8 (" + f.int8().form() + ", approximate)", f.int8().msPerS(), f);
        row("int8 floor", f.int8().floor(), f);
        System.out.printf(Locale.ROOT, "machine Gemm rate (1 thread): %.2f GMAC/s float, %s GMAC/s int8%n", f.gmacPerS(), fmt(f.int8().gmacPerS(), 2));
        if (!f.int8().form().equals("na")) {
            System.out.printf(Locale.ROOT, "int8 vs float %s stream, first neuron, all %d bins: max |diff| spike_prob %.3g, soma_mv %.3g mV%n",
                    f.int8().form(), durationMs, f.int8().maxDiffProb(), f.int8().maxDiffMv());
        }
        if (sparseNa != null) {
            System.out.println("sparse: na: " + sparseNa);
        }
        if (Double.isNaN(f.denseFloor()) || Double.isNaN(f.sparseFloor())) {
            System.out.println("floors: na where the model card has no step_macs / events_column / events_tail_macs (a model exported before them)");
        }
        if (sparse != null) {
            double p = maxAbsDiff(stream.spikeProb(), sparse.spikeProb(), 0, 0);
            double v = maxAbsDiff(stream.somaMv(), sparse.somaMv(), 0, 0);
            System.out.printf(Locale.ROOT, "stream vs sparse, first neuron, all %d bins: max |diff| spike_prob %.3g, soma_mv %.3g mV%n", durationMs, p, v);
            if (!(p <= TOLERANCE && v <= TOLERANCE)) {
                System.out.printf(Locale.ROOT, "WARNING: the event-driven stream differs from the dense stream by more than %.0e%n", TOLERANCE);
            }
        }
        int rf = stream.receptiveFieldMs();
        double p = maxAbsDiff(window.spikeProb(), stream.spikeProb(), windowMs, rf);
        double v = maxAbsDiff(window.somaMv(), stream.somaMv(), windowMs, rf);
        if (Double.isNaN(p)) {
            System.out.printf(Locale.ROOT, "window vs stream: na (no bin past the receptive field, %d ms, in a %d ms window)%n", rf, windowMs);
        } else {
            System.out.printf(Locale.ROOT, "window vs stream, first neuron, bins past the %d ms receptive field: max |diff| spike_prob %.3g, soma_mv %.3g mV%n",
                    rf, p, v);
            if (!(p <= TOLERANCE && v <= TOLERANCE)) {
                System.out.printf(Locale.ROOT, "WARNING: the stream differs from the window prediction by more than %.0e%n", TOLERANCE);
            }
        }
        System.out.println(resultLine(f) + " wire=" + wire.name().toLowerCase(Locale.ROOT));
        System.out.flush();
    }

    private static void row(String what, double msPerS, Figures f) {
        System.out.printf(Locale.ROOT, "%-40s %16s %10s %10s%n", what, fmt(msPerS, 1), fmt(msPerS / f.neuronMsPerS(), 2),
                fmt(msPerS / f.javaMsPerS(), 2));
    }

    static String resultLine(Figures f) {
        double best = f.best();
        return String.format(Locale.ROOT, "RESULT neuron=%s model=%s neurons=%d duration_ms=%d java_sim_ms_per_s=%s neuron_sim_ms_per_s=%s"
                        + " window_ms_per_s=%s stream_ms_per_s=%s sparse_ms_per_s=%s speedup_vs_neuron=%s speedup_vs_java=%s gmac_per_s=%s"
                        + " dense_floor_ms_per_s=%s sparse_floor_ms_per_s=%s int8_form=%s int8_ms_per_s=%s speedup_int8_vs_neuron=%s"
                        + " int8_gmac_per_s=%s int8_floor_ms_per_s=%s int8_max_diff_prob=%s int8_max_diff_mv=%s",
                f.neuron(), f.model(), f.neurons(), f.durationMs(), fmt(f.javaMsPerS(), 1), fmt(f.neuronMsPerS(), 1),
                fmt(f.windowMsPerS(), 1), fmt(f.streamMsPerS(), 1), fmt(f.sparseMsPerS(), 1), fmt(best / f.neuronMsPerS(), 2),
                fmt(best / f.javaMsPerS(), 2), fmt(f.gmacPerS(), 2), fmt(f.denseFloor(), 1), fmt(f.sparseFloor(), 1),
                f.int8().form(), fmt(f.int8().msPerS(), 1), fmt(f.int8().msPerS() / f.neuronMsPerS(), 2), fmt(f.int8().gmacPerS(), 2),
                fmt(f.int8().floor(), 1), fmt(f.int8().maxDiffProb(), 5), fmt(f.int8().maxDiffMv(), 4));
    }

    /** {@code value} with {@code decimals} decimals, or "na" when it is not a finite number. */
    static String fmt(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "na";
    }

    /** A figure from a child's result line: "na" is NaN. */
    static double number(String value) {
        return value == null || value.equals("na") ? Double.NaN : Double.parseDouble(value);
    }

    // ---- the arithmetic -----------------------------------------------------------------------

    /** Neuron-ms per second if every multiply-add of the step graph ran at the Gemm rate; NaN without step_macs. */
    static double denseFloor(double gmacPerS, long stepMacs) {
        return stepMacs > 0 ? gmacPerS * 1e9 / stepMacs : Double.NaN;
    }

    /**
     * Neuron-ms per second if the event-driven form ran at the Gemm rate: per neuron-ms, one kernel
     * column ({@code eventsColumn} additions) per input spike plus the rest of the network; NaN when
     * the card lacks either figure.
     */
    static double sparseFloor(double gmacPerS, double inputSpikesPerMs, int eventsColumn, long eventsTailMacs) {
        if (eventsColumn <= 0 || eventsTailMacs <= 0) {
            return Double.NaN;
        }
        return gmacPerS * 1e9 / (inputSpikesPerMs * eventsColumn + eventsTailMacs);
    }

    /**
     * Neuron-ms per second of an int8 stream if its float work ({@code floatOps} per neuron-ms: the
     * event-driven first layer's additions) ran at the float Gemm rate and its {@code int8Macs} at the
     * int8 rate; NaN without the figures.
     */
    static double int8Floor(double gmacPerS, double int8GmacPerS, double floatOps, long int8Macs) {
        if (int8Macs <= 0 || !(int8GmacPerS > 0) || !(gmacPerS > 0)) {
            return Double.NaN;
        }
        return 1e9 / (floatOps / gmacPerS + int8Macs / int8GmacPerS);
    }

    /**
     * Largest |a - b| over the bins that are at least {@code skip} bins into their window of
     * {@code windowMs} (0: one window, every bin from {@code skip}); NaN when no bin qualifies.
     */
    static double maxAbsDiff(float[] a, float[] b, int windowMs, int skip) {
        double max = Double.NaN;
        for (int t = 0; t < Math.min(a.length, b.length); t++) {
            int into = windowMs > 0 ? t % windowMs : t;
            if (into >= skip) {
                double d = Math.abs((double) a[t] - b[t]);
                max = Double.isNaN(max) ? d : Math.max(max, d);
            }
        }
        return max;
    }

    /** Longest window a Predict request may carry: the whole duration unless the server's limits cut it. */
    static int windowLength(int durationMs, int synapses) {
        long byElements = PredictRequests.MAX_ELEMENTS / synapses;
        return (int) Math.max(1, Math.min(durationMs, Math.min(PredictRequests.MAX_TIME_MS, byElements)));
    }

    /**
     * Neurons per Predict request for a window of {@code timeMs}: within the server's batch and
     * element limits, a response under {@link #MAX_RESPONSE_BYTES} and a request under
     * {@link #MAX_REQUEST_BYTES} (each neuron's input is {@code inputBytes} on the wire).
     */
    static int batchSize(int neurons, int synapses, int timeMs, long inputBytes) {
        long batch = Math.min(neurons, PredictRequests.MAX_BATCH);
        batch = Math.min(batch, PredictRequests.MAX_ELEMENTS / ((long) synapses * timeMs));
        batch = Math.min(batch, MAX_RESPONSE_BYTES / (8L * timeMs + 16));
        batch = Math.min(batch, MAX_REQUEST_BYTES / (inputBytes + 8));
        return (int) Math.max(1, batch);
    }

    /**
     * Steps per stream request: up to the server's {@link #MAX_STEPS_PER_REQUEST}, fewer when the
     * population's input ({@code inputBytesPerMs} per neuron, plus a few bytes per synapse entry) or
     * the answer (two floats per neuron and step) would make a message too large, with {@code inFlight}
     * of them unanswered at once; and with more than one in flight, short enough that a pass has at
     * least {@link #PIPELINED_REQUESTS} requests to overlap.
     */
    static int stepsPerRequest(int neurons, int synapses, double inputBytesPerMs, int durationMs, int inFlight) {
        double byRequest = ((double) MAX_REQUEST_BYTES / inFlight / neurons - 4.0 * synapses) / Math.max(inputBytesPerMs, 1e-9);
        double byResponse = (MAX_INBOUND_BYTES / 2.0) / (8.0 * neurons);
        double steps = Math.min(Math.min(byRequest, byResponse), Math.min(MAX_STEPS_PER_REQUEST, durationMs));
        if (inFlight > 1) {
            steps = Math.min(steps, Math.ceil((double) durationMs / PIPELINED_REQUESTS));
        }
        return (int) Math.max(1, Math.floor(steps));
    }

    /** One neuron's input in [from, to): only synapses with spikes there, bins relative to {@code from}. */
    static SparseNeuronInput slice(int[][] spikeBins, int from, int to) {
        SparseNeuronInput.Builder b = SparseNeuronInput.newBuilder();
        for (int s = 0; s < spikeBins.length; s++) {
            int[] bins = spikeBins[s];
            int lo = firstAtOrAfter(bins, from);
            int hi = firstAtOrAfter(bins, to);
            if (hi > lo) {
                SynapseSpikes.Builder sb = SynapseSpikes.newBuilder().setSynapse(s);
                for (int i = lo; i < hi; i++) {
                    sb.addBins(bins[i] - from);
                }
                b.addSynapses(sb);
            }
        }
        return b.build();
    }

    /** Consecutive slices of {@code length} bins covering [0, spanMs) (the last one may be shorter). */
    static List<SparseNeuronInput> slices(int[][] spikeBins, int spanMs, int length) {
        List<SparseNeuronInput> out = new ArrayList<>();
        for (int from = 0; from < spanMs; from += length) {
            out.add(slice(spikeBins, from, Math.min(spanMs, from + length)));
        }
        return out;
    }

    private static int firstAtOrAfter(int[] sorted, int bin) {
        int i = Arrays.binarySearch(sorted, bin);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == bin) {
            i--;
        }
        return i;
    }

    /** The simulator's input file: one length-delimited SparseNeuronInput, absolute bins, as per-synapse sorted arrays. */
    static int[][] readInput(InputStream in, int synapses) throws IOException {
        SparseNeuronInput input = SparseNeuronInput.parseDelimitedFrom(in);
        if (input == null) {
            throw new IllegalStateException("the simulator wrote no input spike trains");
        }
        int[][] bins = new int[synapses][0];
        for (SynapseSpikes s : input.getSynapsesList()) {
            if (s.getSynapse() < 0 || s.getSynapse() >= synapses) {
                throw new IllegalStateException("input spike train of synapse " + s.getSynapse() + " outside [0, " + synapses + ")");
            }
            int[] b = new int[s.getBinsCount()];
            for (int i = 0; i < b.length; i++) {
                b[i] = s.getBins(i);
            }
            Arrays.sort(b);
            bins[s.getSynapse()] = b;
        }
        return bins;
    }

    /** The loaded version of {@code name} asked for (core VersionAliases); IllegalArgumentException naming what is loaded. */
    static ModelVersion pick(List<ModelVersion> loaded, String name, String version, String address) {
        ModelVersion best = io.neurosurrogate.core.model.VersionAliases.pick(version,
                loaded.stream().filter(m -> m.getModelName().equals(name)).toList(), ModelVersion::getVersion, ModelVersion::getCard);
        if (best == null) {
            List<String> names = new ArrayList<>();
            for (ModelVersion m : loaded) {
                names.add(m.getModelName() + "/" + m.getVersion());
            }
            Collections.sort(names);
            throw new IllegalArgumentException("model " + name + " version " + version + " is not loaded in the inference service at " + address
                    + " (loaded: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        return best;
    }
}

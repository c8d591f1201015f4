package io.neurosurrogate.trainer.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.neurosurrogate.core.inference.Int8Graphs;
import io.neurosurrogate.proto.onnx.AttributeProto;
import io.neurosurrogate.proto.onnx.GraphProto;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.NodeProto;
import io.neurosurrogate.proto.onnx.OperatorSetIdProto;
import io.neurosurrogate.trainer.onnx.OnnxExporter;

import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static io.neurosurrogate.trainer.onnx.OnnxGraphs.fixed;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.floatTensor;
import static io.neurosurrogate.trainer.onnx.OnnxGraphs.tensorInfo;

/**
 * The machine's multiply-add rate for {@code nsurr bench speedup}'s physical floors: one Gemm
 * {@code X[1024, 2048] x W[128, 2048]^T + b} (the shape of a wide surrogate layer over a batch of
 * neurons) in ONNX Runtime on one intra-op thread with all graph optimisations, as the inference
 * service runs its graphs, and the same product in int8 (core Int8Graphs: what an int8 stream's conv
 * layers run). Warms up, times back-to-back runs for about {@code --seconds} (2) each, and prints
 * {@code GEMM gmac_per_s=<x> int8_gmac_per_s=<x>}. Progress goes to stderr.
 */
public final class GemmRate {
    static final int ROWS = 1024;
    static final int DEPTH = 2048;
    static final int COLUMNS = 128;
    static final int WARM_UP_RUNS = 5;

    private GemmRate() {
    }

    public static void main(String[] args) throws OrtException {
        double seconds = 2;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length && args[i + 1].matches("[0-9]+(\\.[0-9]+)?")) {
                seconds = Double.parseDouble(args[++i]);
            } else {
                System.err.println("error: unknown argument " + args[i] + " (use --seconds S)");
                System.exit(2);
            }
        }
        byte[] fp32 = model(new SplittableRandom(1)).toByteArray();
        double gmacPerS = measure(fp32, "float", seconds);
        double int8GmacPerS = measure(Int8Graphs.quantise(fp32), "int8", seconds);
        System.out.printf(Locale.ROOT, "GEMM gmac_per_s=%.3f int8_gmac_per_s=%.3f%n", gmacPerS, int8GmacPerS);
        System.out.flush();
    }

    /** Multiply-adds per second (in 1e9) of {@code onnx}, the one-Gemm model or its int8 form, timed for about {@code seconds}. */
    static double measure(byte[] onnx, String kind, double seconds) throws OrtException {
        SplittableRandom random = new SplittableRandom(2);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(onnx, options);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(uniform(random, ROWS * DEPTH)), new long[]{ROWS, DEPTH})) {
                Map<String, OnnxTensor> feed = Map.of("x", x);
                for (int i = 0; i < WARM_UP_RUNS; i++) {
                    session.run(feed).close();
                }
                long runs = 0;
                long t0 = System.nanoTime();
                double elapsed;
                do {
                    session.run(feed).close();
                    runs++;
                    elapsed = (System.nanoTime() - t0) / 1e9;
                } while (elapsed < seconds);
                double macs = (double) runs * ROWS * DEPTH * COLUMNS;
                System.err.printf(Locale.ROOT, "[gemm] %s: %d runs of [%d, %d] x [%d, %d]^T in %.2f s on 1 thread (ONNX Runtime, all optimisations)%n",
                        kind, runs, ROWS, DEPTH, COLUMNS, DEPTH, elapsed);
                return macs / elapsed / 1e9;
            }
        }
    }

    /** {@code y = Gemm(x, W, b, transB=1)} with random weights. */
    static ModelProto model(SplittableRandom random) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("gemm_rate");
        g.addInitializer(floatTensor("w", uniform(random, COLUMNS * DEPTH), COLUMNS, DEPTH));
        g.addInitializer(floatTensor("b", uniform(random, COLUMNS), COLUMNS));
        g.addNode(NodeProto.newBuilder().setOpType("Gemm").setName("gemm").addInput("x").addInput("w").addInput("b").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addInput(tensorInfo("x", fixed(ROWS), fixed(DEPTH)));
        g.addOutput(tensorInfo("y", fixed(ROWS), fixed(COLUMNS)));
        return ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExporter.OPSET))
                .setProducerName("neurosurrogate-bench")
                .setGraph(g)
                .build();
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() - 0.5);
        }
        return out;
    }
}

package io.neurosurrogate.cli;

import io.neurosurrogate.client.HeldOutEvaluation;
import io.neurosurrogate.core.metrics.HeldOutScores;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.SimulateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Simulates fresh neurons, predicts them with a served model and scores the prediction. */
@Command(name = "predict", description = "Predict freshly simulated neurons with a served model and score the result.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--model", required = true, description = "model name")
    String model;

    @Option(names = "--version", description = "version number or latest (default ${DEFAULT-VALUE})")
    String version = "latest";

    @Option(names = "--neuron", description = "neuron model to simulate (default ${DEFAULT-VALUE})")
    String neuron = "iaf";

    @Option(names = "--count", description = "neurons (default ${DEFAULT-VALUE})")
    int count = 4;

    @Option(names = "--duration-ms", description = "(default ${DEFAULT-VALUE})")
    int durationMs = 6000;

    @Option(names = "--seed", description = "(default ${DEFAULT-VALUE})")
    long seed = 424242;

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        try (GatewayOptions.Connection conn = gateway.connect(progress)) {
            List<SimulationTrace> traces = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                traces.add(SimulationTrace.fromChunks(List.of(conn.client().simulate(SimulateRequest.newBuilder().setNeuronModel(neuron)
                        .setDurationMs(durationMs).setSeed(seed + i).build()).getTrace())));
            }
            PredictResponse r = conn.client().predict(model, version, traces);
            HeldOutScores e = HeldOutEvaluation.of(traces, r, Math.min(500, durationMs / 2));
            System.out.println(String.format(Locale.ROOT, "RESULT model=%s version=%d neurons=%d auc=%.4f rmse_mv=%.3f var_explained=%.3f compute_ms=%.1f",
                    r.getModelName(), r.getVersion(), count, e.auc(), e.rmseMv(), e.varianceExplained(), r.getComputeMs()));
            return 0;
        }
    }
}

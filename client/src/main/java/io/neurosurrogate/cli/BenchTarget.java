package io.neurosurrogate.cli;

import io.neurosurrogate.client.IafPipeline;

/**
 * What a serving benchmark measures against: the inference service's address for the direct path, and a served
 * model version. Both come from the options, or from the local stack, which first trains a small I&F model
 * when no model is named.
 */
record BenchTarget(String inferenceAddress, String model, String version) {

    static BenchTarget resolve(GatewayOptions.Connection conn, String inference, String model, String version, long seed,
                               String trainAs, Progress progress) throws InterruptedException {
        String direct = inference != null ? inference : conn.stack() == null ? null : conn.stack().inferenceAddress();
        if (direct == null) {
            throw new IllegalArgumentException("with --gateway, name the inference service for the direct path: --inference host:port");
        }
        if (model != null) {
            return new BenchTarget(direct, model, version);
        }
        if (conn.stack() == null) {
            throw new IllegalArgumentException("with --gateway, name a served model: --model NAME");
        }
        progress.stage("training a small I&F model to serve");
        IafPipeline.Result r = new IafPipeline(conn.client(), progress)
                .run(new IafPipeline.Settings(24, 6000, seed, 2, 4, "iaf-reset", trainAs));
        return new BenchTarget(direct, r.model().getModelName(), Integer.toString(r.model().getVersion()));
    }
}

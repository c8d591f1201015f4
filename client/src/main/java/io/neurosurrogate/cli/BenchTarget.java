package io.neurosurrogate.cli;

import io.neurosurrogate.client.IafPipeline;
import picocli.CommandLine.Option;

/**
 * What a serving benchmark measures against: the inference service's address for the direct path, and a served
 * model version.
 */
record BenchTarget(String inferenceAddress, String model, String version) {

    /**
     * {@code --inference}, {@code --model}, {@code --version}: given, or taken from the local stack, which first
     * trains a small I&F model when no model is named.
     */
    static final class Options {
        @Option(names = "--inference", description = "inference service host:port for the direct path (default: the local stack's)")
        String inference;

        @Option(names = "--model", description = "model name (default: train a small I&F model first, on the local stack)")
        String model;

        @Option(names = "--version", description = "model version (default ${DEFAULT-VALUE})")
        String version = "latest";

        BenchTarget resolve(GatewayOptions.Connection conn, long seed, String trainAs, Progress progress) throws InterruptedException {
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
}

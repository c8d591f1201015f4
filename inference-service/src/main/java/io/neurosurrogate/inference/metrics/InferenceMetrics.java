package io.neurosurrogate.inference.metrics;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.PredictBatcher;
import io.neurosurrogate.inference.runtime.StreamSessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * The service's meters, named for Prometheus ({@code ns_inference_*}): every Predict call and every
 * Stream request counted by the gRPC status it ended with; per method, the batch size (neurons per
 * Predict, sequences per Stream step), the time a request waited before its work started, and the
 * time ONNX Runtime took (the {@code compute_ms} the responses carry); gauges of open stream sequences
 * and loaded model versions.
 */
@Singleton
public class InferenceMetrics {
    /** The InferenceService method, the {@code method} tag. */
    public enum Method {
        PREDICT("Predict"), STREAM("Stream");

        private final String tag;

        Method(String tag) {
            this.tag = tag;
        }
    }

    private static final String METHOD = "method";
    private static final String REQUESTS = "ns.inference.requests";

    private final MeterRegistry registry;
    private final DistributionSummary[] batch = new DistributionSummary[Method.values().length];
    private final Timer[] queue = new Timer[Method.values().length];
    private final Timer[] compute = new Timer[Method.values().length];

    @Inject
    public InferenceMetrics(MeterRegistry registry, StreamSessions streams, ModelRegistry models, PredictBatcher batcher) {
        this.registry = registry;
        DistributionSummary runs = DistributionSummary.builder("ns.inference.predict.run.neurons")
                .description("Neurons per ONNX Runtime run of Predict, after dynamic batching merged concurrent calls")
                .register(registry);
        batcher.onRun(runs::record);
        for (Method m : Method.values()) {
            batch[m.ordinal()] = DistributionSummary.builder("ns.inference.batch.neurons")
                    .description("Neurons per Predict call, sequences per Stream step")
                    .tag(METHOD, m.tag).register(registry);
            queue[m.ordinal()] = Timer.builder("ns.inference.queue")
                    .description("Time from a request's arrival at the service to the start of its work")
                    .tag(METHOD, m.tag).register(registry);
            compute[m.ordinal()] = Timer.builder("ns.inference.compute")
                    .description("Time inside ONNX Runtime per Predict call or Stream step")
                    .tag(METHOD, m.tag).register(registry);
        }
        Gauge.builder("ns.inference.open.sequences", streams, StreamSessions::openSequences)
                .description("Sequences open in all streams of this replica").strongReference(true).register(registry);
        Gauge.builder("ns.inference.loaded.models", models, ModelRegistry::loadedCount)
                .description("Model versions loaded in ONNX Runtime").strongReference(true).register(registry);
    }

    /** One Predict call or Stream request ended with {@code status} (OK when answered). */
    public void request(Method method, Status.Code status) {
        Counter.builder(REQUESTS)
                .description("Predict calls and Stream requests by the gRPC status they ended with")
                .tag(METHOD, method.tag).tag("status", status.name())
                .register(registry).increment();
    }

    /** The work of a request starts now; it arrived at {@code arrivedNanos} ({@link System#nanoTime()}). */
    public void started(Method method, long arrivedNanos) {
        queue[method.ordinal()].record(System.nanoTime() - arrivedNanos, TimeUnit.NANOSECONDS);
    }

    /** A Predict call or Stream step ran {@code size} neurons or sequences in ONNX Runtime for {@code computeMs}. */
    public void computed(Method method, int size, double computeMs) {
        batch[method.ordinal()].record(size);
        compute[method.ordinal()].record(Math.round(computeMs * 1e6), TimeUnit.NANOSECONDS);
    }
}

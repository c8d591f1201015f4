package io.neurosurrogate.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the inference service under {@code ns.inference.*}; each one overridable by env var. */
@ConfigMapping(prefix = "ns.inference")
public interface InferenceConfig {

    /** The compacted topic of model events ({@link io.neurosurrogate.core.Topics#MODELS}). */
    @WithDefault("ns.models.v1")
    String modelsTopic();

    /** Verified ONNX artifacts live here as {@code <model>/<version>/model.onnx}. */
    @WithDefault("./data/inference")
    Path cacheDir();

    /** ONNX Runtime intra-op threads per session; requests run concurrently on top of that. */
    @WithDefault("1")
    int intraOpThreads();

    /** ONNX Runtime inter-op threads per session (parallel branches of a graph; ours are chains, so 1). */
    @WithDefault("1")
    int interOpThreads();

    /**
     * ONNX Runtime's CPU memory arena: buffers are reused across runs instead of allocated per run
     * (faster; the arena keeps its peak size).
     */
    @WithDefault("true")
    boolean memoryArena();

    /**
     * Where sessions run: {@code cpu}, or {@code cuda} (device {@code cuda-device}), which needs the
     * onnxruntime_gpu build of ONNX Runtime ({@code mvn -Ponnxruntime-gpu}); the service refuses to
     * start when the requested provider is not in its ONNX Runtime.
     */
    @WithDefault("cpu")
    String executionProvider();

    @WithDefault("0")
    int cudaDevice();

    Fetch fetch();

    Follower follower();

    Stream stream();

    /**
     * When set, the gRPC server sends a client GOAWAY once its connection is this old (grpc-java's
     * maxConnectionAge). Calls in flight, open streams included, run on (no grace limit); the client's next call
     * opens a new connection, and a client that balances over DNS (the gateway's dns:/// target on a Kubernetes
     * headless Service) resolves the name again: replicas added by an autoscaler start getting calls.
     */
    Optional<Duration> maxConnectionAge();

    /** Stateful streams (InferenceService.Stream): memory bounds per stream and idle eviction. */
    interface Stream {
        /** Sequences one stream may hold open; each keeps every layer's state (bins x channels floats). */
        @WithDefault("4096")
        int maxSequences();

        /** Steps one StreamStep may ask for; bounds a response at sequences x steps x 2 floats. */
        @WithDefault("1000")
        int maxStepsPerRequest();

        /** A stream with no request for this long is ended with DEADLINE_EXCEEDED, freeing its sequences. */
        @WithDefault("10m")
        Duration idleTimeout();

        /**
         * Sequences per ONNX Runtime run: a step request for more runs in chunks of this many (all its bins chunk
         * after chunk) when its graph keeps state. Outputs do not depend on it, except in int8 streams, whose
         * activations are quantised per run.
         */
        @WithDefault("64")
        int rowsPerRun();
    }

    /** Fetching artifacts from the trainer's FetchArtifact stream. */
    interface Fetch {
        /**
         * Attempts per model version before giving up until the next event for it (or a restart, which
         * replays the topic). 8 attempts at 1 s doubling to 30 s span about 90 s of trainer downtime.
         */
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** Deadline of one FetchArtifact call. */
        @WithDefault("120s")
        Duration timeout();

        /** Max inbound gRPC message size on the trainer channel (one ArtifactChunk). */
        @WithDefault("67108864")
        int maxMessageBytes();
    }

    /** The ns.models.v1 follower thread. */
    interface Follower {
        /** Off only for tests that drive the registry directly. */
        @WithDefault("true")
        boolean enabled();

        /** Pause before retrying after a broker error. */
        @WithName("retry-backoff")
        @WithDefault("2s")
        Duration retryBackoff();
    }

    Batching batching();

    /**
     * Dynamic batching of Predict ({@link io.neurosurrogate.inference.runtime.PredictBatcher}): requests
     * for the same model version and time_ms arriving within max-queue-delay share one ONNX Runtime run.
     */
    interface Batching {
        /**
         * Off: one run per request, at once (the default: on a CPU, concurrent single-threaded runs already
         * use every core, and merging measured no gain; turn it on for a GPU or for many tiny requests).
         */
        @WithDefault("false")
        boolean enabled();

        /** Neurons per merged run; a request of this many or more runs alone, at once. */
        @WithDefault("256")
        int maxBatch();

        /** How long the first request of a group waits for others: the latency a lone request pays. */
        @WithDefault("2ms")
        Duration maxQueueDelay();
    }
}

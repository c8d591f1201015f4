package io.neurosurrogate.gateway;

import io.smallrye.config.ConfigMapping;

import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Gateway settings ({@code ns.gateway.*}); the defaults live in {@code application.properties} and every
 * value can be overridden by system property or environment variable ({@code NS_GATEWAY_SIMULATOR}, ...).
 */
@ConfigMapping(prefix = "ns.gateway")
public interface GatewayConfig {

    /** host:port of the SimulatorService. */
    String simulator();

    /**
     * host:port of the TrainerService, or of several replicas, comma separated: each replica trains the jobs
     * it was given on its own disk, and the gateway spreads new jobs over them (see
     * {@link io.neurosurrogate.gateway.routing.TrainerReplicas}).
     */
    List<String> trainer();

    /**
     * The InferenceService's replicas, comma separated: each a host:port, or a {@code dns:///name:port} target
     * whose addresses one channel spreads calls over (round_robin), such as a Kubernetes headless service.
     * See {@link Routing} and {@link io.neurosurrogate.gateway.routing.Downstreams}.
     */
    List<String> inference();

    /** Neuron models a campaign or simulation may name. */
    List<String> neuronModels();

    /** Upper bound on a forwarded unary call; a caller's shorter deadline wins. */
    Duration unaryDeadline();

    /** How long the inference service's list of loaded models is reused to check Predict requests. */
    Duration loadedModelsTtl();

    /**
     * A Predict naming a model missing from a cached list re-asks the inference service when the list is
     * older than this, so that a model loaded a moment ago is found without hammering the service.
     */
    Duration loadedModelsMinRefresh();

    /** Largest response accepted from a downstream service (a Predict response can be large). */
    int downstreamMaxMessageBytes();

    /** Routing over the inference replicas ({@code ns.gateway.routing.*}). */
    Routing routing();

    /** How calls are spread over the inference replicas, retried and kept away from replicas that are down. */
    interface Routing {
        /**
         * Attempts in all of an idempotent unary call (Predict, ListLoadedModels) whose replica is gone
         * (UNAVAILABLE, or reset by a replica shutting down), each on another replica when there is one,
         * within the call's one deadline. 1 = never retried.
         */
        int maxAttempts();

        /** Each replica's circuit breaker. */
        Circuit circuit();

        interface Circuit {
            /** Consecutive failures (the replica did not answer) that open a replica's breaker. */
            int failures();

            /** How long an open breaker keeps calls away from its replica before one trial call may go there. */
            Duration openFor();
        }
    }

    /** Stateful streams ({@code ns.gateway.stream.*}). */
    Stream stream();

    /** Limits on the requests of a Stream, checked before they are forwarded. */
    interface Stream {
        /** Upper bound on a step request's {@code steps}: one response carries sequences x steps values. */
        int maxStepsPerRequest();

        /**
         * Relay each stream through a channel to its replica bound to the event loop that runs the caller's stream
         * (no thread hand-off per message); false: every stream shares the replica's one channel.
         */
        @WithDefault("true")
        boolean loopLocalChannels();
    }

    /** Who may call ({@code ns.gateway.security.*}); see {@link io.neurosurrogate.gateway.security}. */
    Security security();

    /** Per-key limits ({@code ns.gateway.limits.*}); see {@link io.neurosurrogate.gateway.limits}. */
    Limits limits();

    /** API keys. */
    interface Security {
        /** false admits every caller without a key (and applies no per-key limits): for a trusted network only. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Key entries, comma separated: {@code <key-id>:<sha256-hex-of-key>:<scope>[+<scope>...][:rps=N][:burst=N][:streams=N]},
         * or {@code revoked:<key-id>}. Never the keys themselves.
         */
        Optional<List<String>> apiKeys();

        /** A file of key entries, one per line, {@code #} comments (e.g. a mounted Kubernetes secret); re-read when it changes. */
        Optional<String> apiKeysFile();

        /** How often at most the key file is checked for changes (its modification time and size). */
        @WithDefault("1s")
        Duration keysFileCheckInterval();
    }

    /** Defaults for every key; a key entry may override them ({@code rps=}, {@code burst=}, {@code streams=}). */
    interface Limits {
        /** Steady rate of calls per key (every call counts one, streams when they open). */
        double requestsPerSecond();

        /** Calls a key may make at once above the steady rate. */
        int burst();

        /** Client streams (Stream, ModelStreamInfer) a key may hold open at once. */
        int maxStreamsPerKey();
    }
}

package io.neurosurrogate.core;

/** Kafka topic names: the contracts between services (see DESIGN.md, "Contracts"). */
public final class Topics {
    /** Simulation chunks ({@code TraceChunk}), key = simulation id. */
    public static final String TRACES = "ns.traces.v1";
    /** Campaign status ({@code Campaign}), compacted, key = campaign id. */
    public static final String CAMPAIGNS = "ns.campaigns.v1";
    /** Model versions ({@code ModelEvent}), compacted, key = "model/version". */
    public static final String MODELS = "ns.models.v1";
    /** Records that could not be processed, with the reason in headers. */
    public static final String DEAD_LETTER = "ns.deadletter.v1";
    /** Simulations of a campaign shared by simulator replicas ({@code SimulationTask}), key = simulation id. */
    public static final String SIMULATION_TASKS = "ns.simulation-tasks.v1";
    /** Outcome of each shared simulation ({@code SimulationEvent}), key = campaign id. */
    public static final String SIMULATION_EVENTS = "ns.simulation-events.v1";

    /** Dead-letter record headers. */
    public static final String HEADER_DLQ_REASON = "ns.dlq.reason";
    public static final String HEADER_DLQ_SOURCE_TOPIC = "ns.dlq.source.topic";
    public static final String HEADER_DLQ_SOURCE_PARTITION = "ns.dlq.source.partition";
    public static final String HEADER_DLQ_SOURCE_OFFSET = "ns.dlq.source.offset";

    private Topics() {
    }
}

package io.neurosurrogate.broker;

import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;

/**
 * The project's topics (DESIGN.md "Contracts"): traces partitioned so that simulation workers and
 * ingestion spread; campaign and model topics compacted (latest value per key is the state).
 * Names duplicate io.neurosurrogate.core.Topics on purpose: this module must not depend on core.
 */
public final class StandardTopics {
    public static final String TRACES = "ns.traces.v1";
    public static final String CAMPAIGNS = "ns.campaigns.v1";
    public static final String MODELS = "ns.models.v1";
    public static final String DEAD_LETTER = "ns.deadletter.v1";
    public static final String SIMULATION_TASKS = "ns.simulation-tasks.v1";
    public static final String SIMULATION_EVENTS = "ns.simulation-events.v1";

    private StandardTopics() {
    }

    public static List<NewTopic> all() {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        return List.of(
                new NewTopic(TRACES, 4, (short) 1).configs(Map.of("max.message.bytes", "1048588")),
                new NewTopic(CAMPAIGNS, 1, (short) 1).configs(compacted),
                new NewTopic(MODELS, 1, (short) 1).configs(compacted),
                new NewTopic(DEAD_LETTER, 1, (short) 1),
                new NewTopic(SIMULATION_TASKS, 64, (short) 1),
                new NewTopic(SIMULATION_EVENTS, 4, (short) 1));
    }
}

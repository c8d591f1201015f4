package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.proto.v1.SimulationTask;
import io.neurosurrogate.simulator.campaign.SimulationTaskQueue;
import io.neurosurrogate.simulator.campaign.TraceSimulator;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The tasks of a campaign to {@code ns.simulation-tasks.v1}, one record per simulation keyed by the
 * simulation id (so tasks spread over the partitions), through the service's idempotent acks=all
 * producer. Whether this replica hears the outcomes is the {@link SimulationEventFollower}'s say.
 */
public final class KafkaSimulationTaskQueue implements SimulationTaskQueue {
    private final SimulatorProducer producer;
    private final String tasksTopic;
    private final SimulationEventFollower events;

    public KafkaSimulationTaskQueue(SimulatorProducer producer, String tasksTopic, SimulationEventFollower events) {
        this.producer = producer;
        this.tasksTopic = tasksTopic;
        this.events = events;
    }

    @Override
    public boolean followingEvents() {
        return events.isFollowing();
    }

    @Override
    public CompletableFuture<Void> enqueue(List<SimulationTask> tasks) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[tasks.size()];
        for (int i = 0; i < acks.length; i++) {
            SimulationTask t = tasks.get(i);
            acks[i] = producer.send(tasksTopic, TraceSimulator.simulationId(t.getCampaignId(), t.getSimIndex()), t.toByteArray());
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        CompletableFuture.allOf(acks).whenComplete((ignored, error) -> {
            if (error == null) {
                all.complete(null);
            } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                all.completeExceptionally(new IllegalStateException(tasks.size() + " tasks were sent to " + tasksTopic
                        + " but not all were acknowledged: " + cause.getMessage(), cause));
            }
        });
        return all;
    }
}

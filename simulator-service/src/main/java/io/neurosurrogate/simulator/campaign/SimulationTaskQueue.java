package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.SimulationTask;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Distributed mode: where a campaign's simulations go to be shared by every simulator replica (the
 * {@code ns.simulation-tasks.v1} topic, in production), and whether this replica hears their outcomes.
 */
public interface SimulationTaskQueue {

    /**
     * True once this replica follows the simulation events, so that every event published from now on
     * reaches {@link CampaignRunner#onSimulationEvent}: a campaign started earlier could never finish.
     */
    boolean followingEvents();

    /**
     * Queues the tasks. The future completes when every task is acknowledged by the broker, or
     * exceptionally with the first failure. Never throws.
     */
    CompletableFuture<Void> enqueue(List<SimulationTask> tasks);
}

/**
 * Kafka edge of the simulator: one idempotent producer (acks=all) shared by the trace chunks
 * (ns.traces.v1, key = simulation id) and the campaign status (ns.campaigns.v1, key = campaign id).
 * Distributed mode ({@link io.neurosurrogate.simulator.kafka.DistributedCampaigns}): tasks on
 * ns.simulation-tasks.v1 (key = simulation id) taken by every replica's
 * {@link io.neurosurrogate.simulator.kafka.SimulationTaskWorkers} in one consumer group, outcomes on
 * ns.simulation-events.v1 (key = campaign id) followed by
 * {@link io.neurosurrogate.simulator.kafka.SimulationEventFollower}; bad tasks to ns.deadletter.v1.
 */
package io.neurosurrogate.simulator.kafka;

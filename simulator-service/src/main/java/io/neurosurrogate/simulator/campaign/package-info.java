/**
 * Campaigns: many simulations of one neuron model under random input. Validates the spec, runs the
 * simulations on a bounded worker pool, publishes every simulation's chunks through
 * {@link io.neurosurrogate.simulator.campaign.TracePublisher} and waits for the broker's acks before
 * counting a simulation as done, and keeps the campaign status in memory (published through
 * {@link io.neurosurrogate.simulator.campaign.CampaignStatusPublisher}). In distributed mode the
 * simulations are queued instead ({@link io.neurosurrogate.simulator.campaign.SimulationTaskQueue}), run
 * by any replica ({@link io.neurosurrogate.simulator.campaign.SimulationTaskExecutor}) and counted by the
 * starting replica once per simulation index.
 */
package io.neurosurrogate.simulator.campaign;

/**
 * Campaigns: many simulations of one neuron model under random input. Validates the spec, runs the
 * simulations on a bounded worker pool, publishes every simulation's chunks through
 * {@link io.neurosurrogate.simulator.campaign.TracePublisher} and waits for the broker's acks before
 * counting a simulation as done, and keeps the campaign status in memory (published through
 * {@link io.neurosurrogate.simulator.campaign.CampaignStatusPublisher}).
 */
package io.neurosurrogate.simulator.campaign;

/**
 * Kafka edge of the simulator: one idempotent producer (acks=all) shared by the trace chunks
 * (ns.traces.v1, key = simulation id) and the campaign status (ns.campaigns.v1, key = campaign id).
 */
package io.neurosurrogate.simulator.kafka;

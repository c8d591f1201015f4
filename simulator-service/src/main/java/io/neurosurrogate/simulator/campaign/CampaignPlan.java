package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.simulator.engine.NeuronEngine;
import io.neurosurrogate.simulator.input.InputGenerator;

/**
 * A validated campaign with every default resolved. {@code effectiveSpec} is the spec as run (zeros
 * replaced by the values used), which is what the campaign status reports.
 */
public record CampaignPlan(CampaignSpec effectiveSpec, NeuronEngine engine, InputGenerator generator,
                           int count, int durationMs, int chunkMs, int workers, long seed) {
}

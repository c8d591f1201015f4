package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.Campaign;

/** Where campaign status snapshots go (the compacted campaigns topic, in production). Never throws. */
public interface CampaignStatusPublisher {

    void publish(Campaign status);
}

package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.proto.v1.Campaign;

/** A campaign snapshot with the version of the change that produced it (higher is newer). */
public record VersionedCampaign(long version, Campaign campaign) {
}

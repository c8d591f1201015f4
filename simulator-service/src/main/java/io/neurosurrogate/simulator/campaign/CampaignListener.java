package io.neurosurrogate.simulator.campaign;

/**
 * Told about every change of a campaign, on the thread that made it. Changes may arrive out of
 * order across threads; compare {@link VersionedCampaign#version()}. Must not block or throw.
 */
@FunctionalInterface
public interface CampaignListener {
    void onChange(VersionedCampaign change);
}

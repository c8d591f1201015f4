package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.simulator.SimulatorConfig;
import io.neurosurrogate.simulator.campaign.CampaignStatusPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Campaign status to the compacted campaigns topic (key = campaign id, so the topic keeps the last
 * status of every campaign). Not awaited: the in-memory status is authoritative for this instance.
 */
@ApplicationScoped
public class KafkaCampaignStatusPublisher implements CampaignStatusPublisher {
    private static final Logger LOG = Logger.getLogger(KafkaCampaignStatusPublisher.class);

    @Inject
    SimulatorProducer producer;

    @Inject
    SimulatorConfig config;

    @Override
    public void publish(Campaign status) {
        producer.send(config.campaignsTopic(), status.getCampaignId(), status.toByteArray())
                .whenComplete((metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("status of campaign %s (%s) not published: %s", status.getCampaignId(),
                                status.getState(), error.getMessage());
                    }
                });
    }
}

package io.neurosurrogate.simulator;

import io.neurosurrogate.simulator.campaign.CampaignPlanner;
import io.neurosurrogate.simulator.campaign.CampaignRunner;
import io.neurosurrogate.simulator.campaign.CampaignStatusPublisher;
import io.neurosurrogate.simulator.campaign.CampaignStore;
import io.neurosurrogate.simulator.campaign.SingleSimulation;
import io.neurosurrogate.simulator.campaign.TracePublisher;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the framework-free campaign and engine classes into CDI, from {@link SimulatorConfig}. */
public class SimulatorBeans {

    @Produces
    @Singleton
    NeuronEngines engines() {
        return NeuronEngines.builtIn();
    }

    @Produces
    @Singleton
    CampaignRunner campaignRunner(NeuronEngines engines, SimulatorConfig config, TracePublisher traces,
                                  CampaignStatusPublisher statuses) {
        CampaignPlanner planner = new CampaignPlanner(engines, config.defaultWorkers(), config.maxWorkers());
        return new CampaignRunner(planner, new CampaignStore(config.retainedCampaigns()), traces, statuses,
                config.statusInterval(), config.maxRunningCampaigns());
    }

    void closeCampaignRunner(@Disposes CampaignRunner runner) {
        runner.close();
    }

    @Produces
    @Singleton
    SingleSimulation singleSimulation(NeuronEngines engines) {
        return new SingleSimulation(engines);
    }
}

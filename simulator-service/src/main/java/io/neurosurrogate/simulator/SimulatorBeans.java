package io.neurosurrogate.simulator;

import io.neurosurrogate.simulator.campaign.CampaignPlanner;
import io.neurosurrogate.simulator.campaign.CampaignRunner;
import io.neurosurrogate.simulator.campaign.CampaignStatusPublisher;
import io.neurosurrogate.simulator.campaign.CampaignStore;
import io.neurosurrogate.simulator.campaign.SingleSimulation;
import io.neurosurrogate.simulator.campaign.TracePublisher;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import io.neurosurrogate.simulator.cell.neuron.NeuronInstallation;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.engine.BiophysicalModels;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Optional;

/** Wires the framework-free campaign and engine classes into CDI, from {@link SimulatorConfig}. */
public class SimulatorBeans {
    private static final Logger LOG = Logger.getLogger(SimulatorBeans.class);

    @Produces
    @Singleton
    NeuronEngines engines(SimulatorConfig config) {
        Optional<NeuronSimulator> neuron = Optional.empty();
        if (config.neuronEnabled()) {
            NeuronInstallation installation = new NeuronInstallation(Path.of(config.neuronPython()),
                    NeuronInstallation.DEFAULT_NRNIVMODL, NeuronInstallation.system().cacheRoot());
            Optional<String> why = installation.unavailableReason();
            if (why.isEmpty()) {
                neuron = Optional.of(new NeuronSimulator(installation));
            } else {
                LOG.infof("engine=neuron is off: %s", why.get());
            }
        }
        NeuronEngines engines = BiophysicalModels.register(NeuronEngines.builtIn(),
                config.l5pcMorphology().map(Path::of), config.morphologyDir().map(Path::of), neuron);
        LOG.infof("neuron models: %s (NEURON backend %s)", String.join(", ", engines.names()), neuron.isPresent() ? "on" : "off");
        return engines;
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

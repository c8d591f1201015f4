package io.neurosurrogate.simulator;

import io.neurosurrogate.simulator.campaign.CampaignPlanner;
import io.neurosurrogate.simulator.campaign.CampaignRunner;
import io.neurosurrogate.simulator.campaign.CampaignStatusPublisher;
import io.neurosurrogate.simulator.campaign.CampaignStore;
import io.neurosurrogate.simulator.campaign.SimulationTaskExecutor;
import io.neurosurrogate.simulator.campaign.SingleSimulation;
import io.neurosurrogate.simulator.campaign.TracePublisher;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import io.neurosurrogate.simulator.cell.neuron.NeuronInstallation;
import io.neurosurrogate.simulator.cell.neuron.NeuronSimulator;
import io.neurosurrogate.simulator.engine.BiophysicalModels;
import io.neurosurrogate.simulator.engine.SynapticRelease;
import io.neurosurrogate.simulator.engine.UserNeuronCells;
import io.neurosurrogate.simulator.kafka.DistributedCampaigns;
import io.neurosurrogate.simulator.kafka.SimulationTaskWorkers;
import io.neurosurrogate.simulator.kafka.TraceContextHeaders;
import io.neurosurrogate.simulator.kafka.SimulatorProducer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
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
                config.l5pcMorphology().map(Path::of), config.morphologyDir().map(Path::of), neuron,
                new SynapticRelease(config.releaseProbabilityExc(), config.releaseProbabilityInh()));
        if (config.neuronCellsDir().isPresent()) {
            if (neuron.isEmpty()) {
                LOG.warnf("ns.simulator.neuron-cells-dir is set but NEURON is not available: the cells in %s are not offered",
                        config.neuronCellsDir().get());
            } else {
                UserNeuronCells.load(Path.of(config.neuronCellsDir().get()), neuron.get()).forEach(engines::add);
            }
        }
        LOG.infof("neuron models: %s (NEURON backend %s)", String.join(", ", engines.names()), neuron.isPresent() ? "on" : "off");
        return engines;
    }

    @Produces
    @Singleton
    CampaignRunner campaignRunner(NeuronEngines engines, SimulatorConfig config, TracePublisher traces,
                                  CampaignStatusPublisher statuses, DistributedCampaigns distributed) {
        CampaignPlanner planner = new CampaignPlanner(engines, config.defaultWorkers(), config.maxWorkers());
        CampaignStore store = new CampaignStore(config.retainedCampaigns());
        if (!config.distributed()) {
            return new CampaignRunner(planner, store, traces, statuses, config.statusInterval(), config.maxRunningCampaigns());
        }
        CampaignRunner runner = new CampaignRunner(planner, store, traces, statuses, config.statusInterval(),
                config.maxRunningCampaigns(), distributed.taskQueue());
        distributed.start(runner::onSimulationEvent, new SimulationTaskExecutor(planner, traces, runner::skipTasksOf));
        return runner;
    }

    void closeCampaignRunner(@Disposes CampaignRunner runner) {
        runner.close();
    }

    /** The Kafka side of distributed mode; inert (never started) when {@code ns.simulator.distributed=false}. */
    @Produces
    @Singleton
    DistributedCampaigns distributedCampaigns(SimulatorConfig config, SimulatorProducer producer,
                                              TraceContextHeaders traceContext,
                                              @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
                                              String bootstrapServers) {
        String worker = config.workerName().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        return new DistributedCampaigns(new SimulationTaskWorkers.Settings(bootstrapServers, config.tasksTopic(),
                config.eventsTopic(), config.workerGroup(), config.defaultWorkers(), config.maxTaskTime(), worker), producer,
                traceContext);
    }

    void closeDistributedCampaigns(@Disposes DistributedCampaigns distributed) {
        distributed.close();
    }

    /** Distributed mode: every replica works on the shared tasks from startup, not from its first gRPC call. */
    void startDistributed(@Observes StartupEvent event, SimulatorConfig config, Instance<CampaignRunner> runner) {
        if (config.distributed()) {
            runner.get();
            LOG.infof("distributed campaigns: %d workers on %s (group %s), events from %s", config.defaultWorkers(),
                    config.tasksTopic(), config.workerGroup(), config.eventsTopic());
        }
    }

    @Produces
    @Singleton
    SingleSimulation singleSimulation(NeuronEngines engines) {
        return new SingleSimulation(engines);
    }
}

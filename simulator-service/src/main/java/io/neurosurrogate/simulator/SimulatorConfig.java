package io.neurosurrogate.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the simulator service ({@code ns.simulator.*}); every value can be overridden by env var. */
@ConfigMapping(prefix = "ns.simulator")
public interface SimulatorConfig {

    /** Worker threads of a campaign whose spec leaves {@code workers} at 0; default: available processors. */
    Optional<Integer> workers();

    /** Largest {@code workers} a campaign may ask for. */
    @WithDefault("64")
    int maxWorkers();

    /** Campaigns running at once; one more start is RESOURCE_EXHAUSTED (each has its own worker threads). */
    @WithDefault("16")
    int maxRunningCampaigns();

    /** How often a running campaign's status goes to the campaigns topic. */
    @WithDefault("1s")
    Duration statusInterval();

    /** Finished campaigns kept in memory for Get/List/Watch; the oldest are forgotten first. */
    @WithDefault("1000")
    int retainedCampaigns();

    /** Morphology (.asc or .swc) of the plain l5pc-nmda / l5pc-ampa models; default: the built-in L5PC-like cell. */
    Optional<String> l5pcMorphology();

    /** Folder of extra morphologies: each NAME.asc / NAME.swc adds l5pc-nmda:NAME and l5pc-ampa:NAME. */
    Optional<String> morphologyDir();

    /**
     * Folder of users' own NEURON cells: every sub-folder NAME with a cell.properties adds the model
     * neuron-cell:NAME (engine=neuron only; see UserNeuronCells for the keys).
     */
    Optional<String> neuronCellsDir();

    /**
     * Probability that a presynaptic spike on an excitatory synapse of a biophysical model is
     * released (1 = every spike, the default). 1.0 with {@link #releaseProbabilityInh()} 0.632
     * reproduces the paper's effective statistics (see SynapticRelease).
     */
    @WithDefault("1.0")
    double releaseProbabilityExc();

    /** As {@link #releaseProbabilityExc()}, for inhibitory synapses. */
    @WithDefault("1.0")
    double releaseProbabilityInh();

    /** Offer engine=neuron for the biophysical models when NEURON (python3 + neuron) is installed. */
    @WithDefault("true")
    boolean neuronEnabled();

    /** The python3 that can {@code import neuron}. */
    @WithDefault("/usr/bin/python3")
    String neuronPython();

    @WithDefault("ns.traces.v1")
    String tracesTopic();

    @WithDefault("ns.campaigns.v1")
    String campaignsTopic();

    /**
     * Share campaigns among all replicas through Kafka: StartCampaign queues one task per simulation on
     * {@link #tasksTopic()}, every replica's {@link #defaultWorkers()} worker threads take tasks from it,
     * and the starting replica counts the outcomes from {@link #eventsTopic()}. False: a campaign runs
     * entirely on the replica that started it.
     */
    @WithDefault("false")
    boolean distributed();

    /** Distributed mode: the shared simulation tasks ({@code SimulationTask}, key = simulation id). */
    @WithDefault("ns.simulation-tasks.v1")
    String tasksTopic();

    /** Distributed mode: the outcome of every task ({@code SimulationEvent}, key = campaign id). */
    @WithDefault("ns.simulation-events.v1")
    String eventsTopic();

    /** Distributed mode: the consumer group of all replicas' simulation workers. */
    @WithDefault("ns-simulator-workers")
    String workerGroup();

    /**
     * Distributed mode: longest one task (simulation plus publication) may take before the group deems
     * its worker dead and hands the task to another ({@code max.poll.interval.ms}); an L5PC simulation
     * takes about 30-60 s.
     */
    @WithDefault("30m")
    Duration maxTaskTime();

    /** Distributed mode: this replica's name in the simulation events; default: host name and process id. */
    Optional<String> workerName();

    /** Kafka producer settings beyond the fixed delivery guarantees (acks=all, idempotence). */
    Producer producer();

    interface Producer {
        @WithDefault("5")
        int lingerMs();

        /** Upper bound on one record; a chunk above it fails its simulation with a clear message. */
        @WithDefault("1000000")
        int maxRequestSize();

        @WithDefault("120000")
        int deliveryTimeoutMs();

        @WithDefault("lz4")
        String compressionType();
    }

    default int defaultWorkers() {
        return workers().orElse(Runtime.getRuntime().availableProcessors());
    }
}

package io.neurosurrogate.simulator.kafka;

import io.neurosurrogate.proto.v1.SimulationEvent;
import io.neurosurrogate.simulator.campaign.SimulationTaskExecutor;
import io.neurosurrogate.simulator.campaign.SimulationTaskQueue;

import java.util.function.Consumer;

/**
 * The Kafka side of one replica in distributed mode ({@code ns.simulator.distributed=true}): the task
 * queue its campaign runner publishes to, the follower of the simulation events (feeding the runner)
 * and the replica's simulation workers. Start once the runner exists; close on shutdown.
 */
public final class DistributedCampaigns implements AutoCloseable {
    private final SimulationTaskWorkers.Settings settings;
    private final SimulatorProducer producer;
    private final TraceContextHeaders traceContext;
    private final SimulationEventFollower events;
    private final KafkaSimulationTaskQueue queue;
    private SimulationTaskWorkers workers;

    public DistributedCampaigns(SimulationTaskWorkers.Settings settings, SimulatorProducer producer,
                                TraceContextHeaders traceContext) {
        this.settings = settings;
        this.producer = producer;
        this.traceContext = traceContext;
        this.events = new SimulationEventFollower(settings.bootstrapServers(), settings.eventsTopic(),
                "ns-sim-events-" + settings.workerName());
        this.queue = new KafkaSimulationTaskQueue(producer, settings.tasksTopic(), events);
    }

    /** Where the campaign runner queues the tasks of the campaigns it starts. */
    public SimulationTaskQueue taskQueue() {
        return queue;
    }

    /**
     * Follows the events (each goes to {@code eventListener}, the runner's {@code onSimulationEvent}) and
     * starts the workers, which run tasks with {@code executor}.
     */
    public synchronized void start(Consumer<SimulationEvent> eventListener, SimulationTaskExecutor executor) {
        if (workers != null) {
            throw new IllegalStateException("already started");
        }
        events.start(eventListener);
        workers = new SimulationTaskWorkers(settings, executor, producer, traceContext);
        workers.start();
    }

    /** This replica's workers (null before {@link #start}). */
    public synchronized SimulationTaskWorkers workers() {
        return workers;
    }

    public boolean followingEvents() {
        return events.isFollowing();
    }

    /** Stops the workers first (no new outcomes), then the follower. */
    @Override
    public void close() {
        SimulationTaskWorkers w;
        synchronized (this) {
            w = workers;
        }
        if (w != null) {
            w.close();
        }
        events.close();
    }
}

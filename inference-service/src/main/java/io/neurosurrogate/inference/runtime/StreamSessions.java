package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.inference.InferenceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of this replica: their limits, the worker threads their requests run on (ONNX
 * Runtime never runs on a gRPC event loop), and idle eviction. A scheduled check hands every stream
 * idle for longer than {@code ns.inference.stream.idle-timeout} to its eviction callback, which ends
 * the stream (DEADLINE_EXCEEDED at the gRPC edge) and so frees its sequences and its lease.
 */
@Singleton
public class StreamSessions {
    private static final Logger LOG = Logger.getLogger(StreamSessions.class);
    private static final long MAX_CHECK_INTERVAL_MS = 1000;

    private final int maxSequences;
    private final int maxStepsPerRequest;
    private final int rowsPerRun;
    private final Duration idleTimeout;
    private final ExecutorService workers;
    private final ScheduledExecutorService idleCheck;
    /** Open session -> what ends it when idle. */
    private final Map<StreamSession, Runnable> open = new ConcurrentHashMap<>();

    @Inject
    public StreamSessions(InferenceConfig config) {
        this(config.stream().maxSequences(), config.stream().maxStepsPerRequest(), config.stream().rowsPerRun(), config.stream().idleTimeout());
    }

    public StreamSessions(int maxSequences, int maxStepsPerRequest, Duration idleTimeout) {
        this(maxSequences, maxStepsPerRequest, StreamSession.DEFAULT_ROWS_PER_RUN, idleTimeout);
    }

    public StreamSessions(int maxSequences, int maxStepsPerRequest, int rowsPerRun, Duration idleTimeout) {
        if (maxSequences < 1 || maxStepsPerRequest < 1 || rowsPerRun < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("ns.inference.stream.max-sequences, max-steps-per-request and rows-per-run must be >= 1"
                    + " and idle-timeout positive; got " + maxSequences + ", " + maxStepsPerRequest + ", " + rowsPerRun + ", " + idleTimeout);
        }
        this.maxSequences = maxSequences;
        this.maxStepsPerRequest = maxStepsPerRequest;
        this.rowsPerRun = rowsPerRun;
        this.idleTimeout = idleTimeout;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "stream-worker-" + count.incrementAndGet()));
        this.idleCheck = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "stream-idle-check"));
        long interval = Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, idleTimeout.toMillis() / 4));
        idleCheck.scheduleWithFixedDelay(this::evictIdle, interval, interval, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens a stream on {@code model} (leasing it).
     *
     * @param eventDriven whether the first layer runs event by event (StreamOpen.event_driven)
     * @param onIdle      called once, from the idle check, when the stream has been idle too long
     */
    public StreamSession open(LoadedModel model, boolean eventDriven, Runnable onIdle) {
        return open(model, eventDriven, StreamPrecision.FP32, onIdle);
    }

    /** As {@link #open(LoadedModel, boolean, Runnable)}, computed in {@code precision}. */
    public StreamSession open(LoadedModel model, boolean eventDriven, StreamPrecision precision, Runnable onIdle) {
        StreamSession session = StreamSession.open(model, maxSequences, maxStepsPerRequest, rowsPerRun, eventDriven, precision);
        open.put(session, onIdle);
        return session;
    }

    /** Forgets a stream and closes its session. */
    public void close(StreamSession session) {
        open.remove(session);
        session.close();
    }

    /** Where streams run their requests; each stream keeps its own order on top of it. */
    public Executor workers() {
        return workers;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Streams open now. */
    public int openStreams() {
        return open.size();
    }

    /** Sequences open now, in all streams. */
    public int openSequences() {
        int total = 0;
        for (StreamSession session : open.keySet()) {
            total += session.openSequences();
        }
        return total;
    }

    void evictIdle() {
        long now = System.nanoTime();
        for (Map.Entry<StreamSession, Runnable> e : open.entrySet()) {
            if (now - e.getKey().lastActiveNanos() > idleTimeout.toNanos() && open.remove(e.getKey(), e.getValue())) {
                try {
                    e.getValue().run();
                } catch (RuntimeException ex) {
                    LOG.warnf(ex, "ending an idle stream on %s failed", e.getKey().model().label());
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        idleCheck.shutdownNow();
        workers.shutdownNow();
    }
}

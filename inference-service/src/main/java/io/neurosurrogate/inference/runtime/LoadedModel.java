package io.neurosurrogate.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One verified model version in ONNX Runtime. The session is shared by all requests (ORT allows
 * concurrent {@code run} calls); a read-write lock keeps {@link #close()} from freeing it under a
 * running request. A version with a step graph (and an events graph) also holds those sessions; streams lease the version
 * ({@link #retain()}), and a version closed while leased stops taking new requests but frees its
 * sessions only when the last stream lets go.
 */
public final class LoadedModel implements AutoCloseable {
    /** Used when the card has no evaluated threshold (proto3: 0 means unset). */
    public static final double DEFAULT_SPIKE_THRESHOLD = 0.5;

    private final ModelVersion version;
    private final ModelCard card;
    private final String sha256;
    private final int synapses;
    private final double spikeThreshold;
    private final String inputName;
    private final String spikeOutputName;
    private final String voltageOutputName;
    /** The dendritic head's output (nexus_mv) when the card names one and the graph has it; else null. */
    private final String dendriteOutputName;
    private final OrtEnvironment env;
    private final OrtSession session;
    /** Null for a version without a step graph. */
    private final StepGraph stepGraph;
    /** Null for a version without an events graph. */
    private final EventGraph eventGraph;
    /** The int8 forms of the two (core Int8Graphs); null where there is none. */
    private final StepGraph int8StepGraph;
    private final EventGraph int8EventGraph;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** No new Predict calls or leases; guarded by the write lock. */
    private boolean closed;
    /** Sessions released; guarded by the write lock. */
    private boolean freed;
    /** Open streams on this version; guarded by the write lock. */
    private int leases;

    LoadedModel(ModelVersion version, ModelCard card, int synapses, String inputName, String spikeOutputName,
                String voltageOutputName, OrtEnvironment env, OrtSession session, StepGraph stepGraph, EventGraph eventGraph,
                StepGraph int8StepGraph, EventGraph int8EventGraph) {
        this.version = version;
        this.card = card;
        this.sha256 = version.getSha256();
        this.synapses = synapses;
        double threshold = card.hasMetrics() ? card.getMetrics().getThresholdAt0P25Fa() : 0;
        this.spikeThreshold = threshold > 0 ? threshold : DEFAULT_SPIKE_THRESHOLD;
        this.inputName = inputName;
        this.spikeOutputName = spikeOutputName;
        this.voltageOutputName = voltageOutputName;
        String dendrite = card.getDendriteOutputName();
        this.dendriteOutputName = !dendrite.isEmpty() && session.getOutputNames().contains(dendrite) ? dendrite : null;
        this.env = env;
        this.session = session;
        this.stepGraph = stepGraph;
        this.eventGraph = eventGraph;
        this.int8StepGraph = int8StepGraph;
        this.int8EventGraph = int8EventGraph;
    }

    public String name() {
        return version.getModelName();
    }

    public int versionNumber() {
        return version.getVersion();
    }

    public String sha256() {
        return sha256;
    }

    /** The model version as announced, with the card read from the ONNX file and loaded = true. */
    public ModelVersion describe() {
        return version.toBuilder().setCard(card).setLoaded(true).build();
    }

    /** The model card from the ONNX metadata. */
    public ModelCard card() {
        return card;
    }

    /** Input width: n_exc + n_inh. */
    public int synapses() {
        return synapses;
    }

    /** Spike bins are those with probability at or above this (the card's threshold at 0.25 % false alarms). */
    public double spikeThreshold() {
        return spikeThreshold;
    }

    /** Whether this version can serve streams. */
    public boolean hasStepGraph() {
        return stepGraph != null;
    }

    StepGraph stepGraph() {
        return stepGraph;
    }

    /** The dendritic head's output name, or null when the model has none. */
    String dendriteOutputName() {
        return dendriteOutputName;
    }

    /** Whether this version can serve event-driven streams (StreamOpen.event_driven). */
    public boolean hasEventGraph() {
        return eventGraph != null;
    }

    EventGraph eventGraph() {
        return eventGraph;
    }

    /** Whether the step graph (with {@code eventDriven}: the events graph) has an int8 form. */
    public boolean hasInt8(boolean eventDriven) {
        return eventDriven ? int8EventGraph != null : int8StepGraph != null;
    }

    /** The int8 step graph, or null. */
    StepGraph int8StepGraph() {
        return int8StepGraph;
    }

    /** The int8 events graph (the same Java first layer, an int8 tail), or null. */
    EventGraph int8EventGraph() {
        return int8EventGraph;
    }

    OrtEnvironment env() {
        return env;
    }

    /**
     * Keeps the sessions alive for a stream until {@link #release()}, even if the version is closed meanwhile.
     *
     * @throws DomainException NOT_FOUND when the version was already closed
     */
    public void retain() {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw unloaded();
            }
            leases++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Ends a lease from {@link #retain()}; the last one frees the sessions of a closed version. */
    public void release() {
        lock.writeLock().lock();
        try {
            leases--;
            if (closed && leases == 0) {
                free();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code body} while the step session cannot be freed; the caller holds a lease, so only a
     * broken lease (a bug) finds it freed.
     */
    <T> T withStepSession(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            if (freed) {
                throw unloaded();
            }
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs the surrogate on a dense input [batch, synapses, time]. ORT failures surface as INTERNAL;
     * a model unloaded meanwhile as NOT_FOUND.
     */
    public Prediction run(FloatBuffer input, int batch, int time) {
        if (!lock.readLock().tryLock()) {
            throw unloaded();
        }
        try {
            if (closed) {
                throw unloaded();
            }
            long[] shape = {batch, synapses, time};
            long start = System.nanoTime();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                 OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
                float[] spikes = output(result, spikeOutputName, batch, time);
                float[] soma = output(result, voltageOutputName, batch, time);
                float[] nexus = dendriteOutputName == null ? null : output(result, dendriteOutputName, batch, time);
                double ms = (System.nanoTime() - start) / 1e6;
                return new Prediction(batch, time, spikes, soma, ms, nexus);
            } catch (OrtException e) {
                throw new DomainException(DomainException.Kind.INTERNAL,
                        "ONNX Runtime failed on " + label() + ": " + e.getMessage(), e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private float[] output(OrtSession.Result result, String name, int batch, int time) {
        Optional<OnnxValue> value = result.get(name);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw new DomainException(DomainException.Kind.INTERNAL, label() + " has no tensor output '" + name + "'");
        }
        FloatBuffer data = tensor.getFloatBuffer();
        if (data == null || data.remaining() != (long) batch * time) {
            throw new DomainException(DomainException.Kind.INTERNAL, label() + " output '" + name + "' has "
                    + (data == null ? "no float data" : data.remaining() + " values") + ", expected [" + batch + ", " + time + "]");
        }
        float[] out = new float[batch * time];
        data.get(out);
        return out;
    }

    private DomainException unloaded() {
        return DomainException.notFound(label() + " was unloaded");
    }

    /** "model 'x' version 3", for messages and logs. */
    public String label() {
        return "model '" + name() + "' version " + versionNumber();
    }

    /**
     * Waits for running requests, then frees the sessions, or, while streams hold leases, leaves that to
     * the last {@link #release()}. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            if (leases == 0) {
                free();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Caller holds the write lock. */
    private void free() {
        if (freed) {
            return;
        }
        freed = true;
        try {
            session.close();
            if (stepGraph != null) {
                stepGraph.close();
            }
            if (eventGraph != null) {
                eventGraph.tail().close();
            }
            if (int8StepGraph != null) {
                int8StepGraph.close();
            }
            if (int8EventGraph != null) {
                int8EventGraph.tail().close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX sessions of " + label() + " failed", e);
        }
    }
}

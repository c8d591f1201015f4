package io.neurosurrogate.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.neurosurrogate.core.DomainException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Input and state tensors of a step graph for a fixed batch of rows, in direct buffers that the ONNX
 * tensors are views of. A request's first step reads the states from those buffers; every later step
 * feeds the previous step's {@code state<i>_out} tensors straight back in (nothing copied between
 * steps: at 256 rows of an l5pc-ampa-1x128 model, copying the state out and back cost ~25 % of a
 * step); {@link #finish()} copies the last states into the buffers once per request. Not thread-safe:
 * one per stream.
 */
final class StepBatch implements AutoCloseable {
    private final LoadedModel model;
    private final StepGraph graph;
    private final int batch;
    private final int synapses;
    private final FloatBuffer input;
    private final FloatBuffer[] states;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();
    private final float[] column;
    private long runNanos;
    /** The last step's outputs, whose states the next step reads; null at a request's start. */
    private OrtSession.Result held;

    /** For {@code graph}: the model's step graph, or the tail of its events graph. */
    StepBatch(LoadedModel model, StepGraph graph, int batch) {
        this.model = model;
        this.graph = graph;
        this.batch = batch;
        this.synapses = graph.width();
        this.column = new float[batch];
        this.input = direct(batch * synapses);
        this.states = new FloatBuffer[graph.layers()];
        try {
            feeds.put(graph.inputName(), OnnxTensor.createTensor(model.env(), input, new long[]{batch, synapses}));
            for (int i = 0; i < states.length; i++) {
                long[] shape = graph.stateShape(i);
                states[i] = direct(batch * graph.stateSize(i));
                feeds.put(graph.stateInput(i), OnnxTensor.createTensor(model.env(), states[i], new long[]{batch, shape[0], shape[1]}));
            }
        } catch (OrtException e) {
            close();
            throw failure(e);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int batch() {
        return batch;
    }

    /** Copies one row's state of {@code layer} in (length {@link StepGraph#stateSize}). */
    void putState(int layer, int row, float[] state) {
        states[layer].put(row * state.length, state);
    }

    /** Copies one row's state of {@code layer} out. */
    void getState(int layer, int row, float[] state) {
        states[layer].get(row * state.length, state);
    }

    /** Sets input {@code position} (row * width + channel) of the next step. */
    void setInput(int position, float value) {
        input.put(position, value);
    }

    /** Copies one row of the next step's input in ({@link StepGraph#width()} floats). */
    void putInputRow(int row, float[] values) {
        input.put(row * synapses, values, 0, synapses);
    }

    /** Adds to the compute time {@link #takeComputeMs} reports (work done outside ONNX Runtime for this batch). */
    void addComputeNanos(long nanos) {
        runNanos += nanos;
    }

    /**
     * Advances every row by one bin; writes output {@code b} to {@code spikeProb[b * stride + offset]}
     * (and soma_mv alike), then makes the new states current. Call inside
     * {@link LoadedModel#withStepSession}.
     */
    void step(float[] spikeProb, float[] somaMv, int offset, int stride) {
        step(spikeProb, somaMv, null, offset, stride);
    }

    /** As {@link #step(float[], float[], int, int)}, and the nexus voltage into {@code nexusMv} when not null. */
    void step(float[] spikeProb, float[] somaMv, float[] nexusMv, int offset, int stride) {
        Map<String, OnnxTensor> in = feeds;
        if (held != null) {
            in = new HashMap<>(feeds);
            for (int i = 0; i < states.length; i++) {
                in.put(graph.stateInput(i), tensor(held, graph.stateOutput(i), states[i].capacity()));
            }
        }
        long start = System.nanoTime();
        OrtSession.Result result;
        try {
            result = graph.session().run(in);
        } catch (OrtException e) {
            throw failure(e);
        }
        runNanos += System.nanoTime() - start;
        try {
            scatter(result, graph.spikeOutputName(), spikeProb, offset, stride);
            scatter(result, graph.voltageOutputName(), somaMv, offset, stride);
            if (nexusMv != null) {
                scatter(result, graph.dendriteOutputName(), nexusMv, offset, stride);
            }
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
        if (held != null) {
            held.close();
        }
        held = result;
    }

    /**
     * Ends a request: the last step's states become the buffers' contents ({@link #getState} reads
     * them). Call inside {@link LoadedModel#withStepSession}, after the last {@link #step}.
     */
    void finish() {
        if (held == null) {
            return;
        }
        try {
            for (int i = 0; i < states.length; i++) {
                FloatBuffer next = tensor(held, graph.stateOutput(i), states[i].capacity()).getFloatBuffer();
                states[i].put(0, next, 0, states[i].capacity());
            }
        } finally {
            held.close();
            held = null;
        }
    }

    /** ONNX Runtime time spent in {@link #step} since the last call. */
    double takeComputeMs() {
        double ms = runNanos / 1e6;
        runNanos = 0;
        return ms;
    }

    private void scatter(OrtSession.Result result, String name, float[] out, int offset, int stride) {
        tensor(result, name, batch).getFloatBuffer().get(column);
        for (int b = 0; b < batch; b++) {
            out[b * stride + offset] = column[b];
        }
    }

    private OnnxTensor tensor(OrtSession.Result result, String name, int floats) {
        Optional<OnnxValue> value = result.get(name);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor) || tensor.getInfo().getNumElements() != floats) {
            throw new DomainException(DomainException.Kind.INTERNAL, "the step graph of " + model.label() + " gave no output '"
                    + name + "' of " + floats + " floats");
        }
        return tensor;
    }

    private DomainException failure(OrtException e) {
        return new DomainException(DomainException.Kind.INTERNAL,
                "ONNX Runtime failed on the step graph of " + model.label() + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
            held = null;
        }
        for (OnnxTensor t : feeds.values()) {
            t.close();
        }
        feeds.clear();
    }
}

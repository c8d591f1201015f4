package io.neurosurrogate.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.neurosurrogate.core.DomainException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Input, state and output tensors of a step graph for a fixed batch of rows, all in direct buffers that
 * the ONNX tensors are views of. Each state has two buffers: a step reads one and ONNX Runtime writes
 * the next state straight into the other (pinned outputs), then they swap, so nothing is copied or
 * allocated between steps (at 256 rows of an l5pc-ampa-1x128 model, copying the state out and back
 * cost ~25 % of a step; letting ONNX Runtime allocate every step's outputs cost again). The heads'
 * outputs land in pinned buffers too. {@link #putState}/{@link #getState} read and write the current
 * buffers. Not thread-safe: one per stream.
 */
final class StepBatch implements AutoCloseable {
    private final LoadedModel model;
    private final StepGraph graph;
    private final int batch;
    private final int width;
    private final FloatBuffer input;
    /** [side][layer]: side {@link #current} holds the latest states, the other one receives the next. */
    private final FloatBuffer[][] states;
    private final FloatBuffer spikeProb;
    private final FloatBuffer somaMv;
    /** Null unless the graph has the dendritic head. */
    private final FloatBuffer nexusMv;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    /** [side]: the feeds that read side's states, and the outputs that write the other side's. */
    @SuppressWarnings("unchecked")
    private final Map<String, OnnxTensor>[] feeds = new Map[2];
    @SuppressWarnings("unchecked")
    private final Map<String, OnnxTensor>[] outputs = new Map[2];
    private int current;
    private long runNanos;

    /** For {@code graph}: the model's step graph, or the tail of its events graph. */
    StepBatch(LoadedModel model, StepGraph graph, int batch) {
        this.model = model;
        this.graph = graph;
        this.batch = batch;
        this.width = graph.width();
        this.input = direct(batch * width);
        this.states = new FloatBuffer[2][graph.layers()];
        this.spikeProb = direct(batch);
        this.somaMv = direct(batch);
        this.nexusMv = graph.dendriteOutputName() == null ? null : direct(batch);
        try {
            OnnxTensor in = tensor(input, new long[]{batch, width});
            OnnxTensor spike = tensor(spikeProb, headShape(graph.spikeOutputName()));
            OnnxTensor soma = tensor(somaMv, headShape(graph.voltageOutputName()));
            OnnxTensor nexus = nexusMv == null ? null : tensor(nexusMv, headShape(graph.dendriteOutputName()));
            OnnxTensor[][] stateTensors = new OnnxTensor[2][graph.layers()];
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < graph.layers(); i++) {
                    long[] shape = graph.stateShape(i);
                    states[side][i] = direct(batch * graph.stateSize(i));
                    stateTensors[side][i] = tensor(states[side][i], new long[]{batch, shape[0], shape[1]});
                }
            }
            for (int side = 0; side < 2; side++) {
                feeds[side] = new HashMap<>();
                outputs[side] = new HashMap<>();
                feeds[side].put(graph.inputName(), in);
                outputs[side].put(graph.spikeOutputName(), spike);
                outputs[side].put(graph.voltageOutputName(), soma);
                if (nexus != null) {
                    outputs[side].put(graph.dendriteOutputName(), nexus);
                }
                for (int i = 0; i < graph.layers(); i++) {
                    feeds[side].put(graph.stateInput(i), stateTensors[side][i]);
                    outputs[side].put(graph.stateOutput(i), stateTensors[1 - side][i]);
                }
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e instanceof OrtException ort ? failure(ort) : (RuntimeException) e;
        }
    }

    private OnnxTensor tensor(FloatBuffer buffer, long[] shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(model.env(), buffer, shape);
        tensors.add(t);
        return t;
    }

    /** A head's output shape for this batch: its declared rank, batch first, the other dimensions 1. */
    private long[] headShape(String name) throws OrtException {
        NodeInfo info = graph.session().getOutputInfo().get(name);
        long[] declared = info != null && info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[]{-1};
        long[] shape = new long[Math.max(1, declared.length)];
        Arrays.fill(shape, 1);
        shape[0] = batch;
        for (int d = 1; d < declared.length; d++) {
            if (declared[d] > 1) {
                throw new DomainException(DomainException.Kind.INTERNAL, "the step graph of " + model.label() + " declares output '"
                        + name + "' as " + Arrays.toString(declared) + ", not one value per row");
            }
        }
        return shape;
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int batch() {
        return batch;
    }

    /** Copies one row's state of {@code layer} in (length {@link StepGraph#stateSize}). */
    void putState(int layer, int row, float[] state) {
        states[current][layer].put(row * state.length, state);
    }

    /** Copies one row's state of {@code layer} out. */
    void getState(int layer, int row, float[] state) {
        states[current][layer].get(row * state.length, state);
    }

    /** Sets input {@code position} (row * width + channel) of the next step. */
    void setInput(int position, float value) {
        input.put(position, value);
    }

    /** Copies one row of the next step's input in ({@link StepGraph#width()} floats). */
    void putInputRow(int row, float[] values) {
        input.put(row * width, values, 0, width);
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
        long start = System.nanoTime();
        try (OrtSession.Result ignored = graph.session().run(feeds[current], outputs[current])) {
            runNanos += System.nanoTime() - start;
        } catch (OrtException e) {
            throw failure(e);
        }
        current = 1 - current;
        scatter(this.spikeProb, spikeProb, offset, stride);
        scatter(this.somaMv, somaMv, offset, stride);
        if (nexusMv != null && this.nexusMv != null) {
            scatter(this.nexusMv, nexusMv, offset, stride);
        }
    }

    /** ONNX Runtime time spent in {@link #step} since the last call. */
    double takeComputeMs() {
        double ms = runNanos / 1e6;
        runNanos = 0;
        return ms;
    }

    private void scatter(FloatBuffer from, float[] out, int offset, int stride) {
        for (int b = 0; b < batch; b++) {
            out[b * stride + offset] = from.get(b);
        }
    }

    private DomainException failure(OrtException e) {
        return new DomainException(DomainException.Kind.INTERNAL,
                "ONNX Runtime failed on the step graph of " + model.label() + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        for (OnnxTensor t : tensors) {
            t.close();
        }
        tensors.clear();
    }
}

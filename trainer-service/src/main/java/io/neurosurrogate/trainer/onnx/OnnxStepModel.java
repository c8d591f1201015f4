package io.neurosurrogate.trainer.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.neurosurrogate.core.DomainException;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A step graph ({@link OnnxStepExporter}) in ONNX Runtime, driven bin by bin over a whole input: how
 * the trainer checks, at export, that streaming gives what the window graph gives.
 */
public final class OnnxStepModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    /** State input name -> [bins, channels]. */
    private final Map<String, long[]> states = new HashMap<>();
    /** The one [batch, channels] input: the spikes, or the first layer's output in an events graph. */
    private String inputName = OnnxStepExporter.INPUT;

    public OnnxStepModel(byte[] onnx) {
        env = OrtEnvironment.getEnvironment();
        session = OnnxRuntimeModel.openSession(env, onnx, "the step graph");
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                if (shape.length == 2) {
                    inputName = e.getKey();
                } else {
                    states.put(e.getKey(), new long[]{shape[1], shape[2]});
                }
            }
        } catch (OrtException e) {
            OnnxRuntimeModel.closeQuietly(session);
            throw new DomainException(DomainException.Kind.INTERNAL, "ONNX Runtime cannot describe the step graph's inputs: " + e.getMessage(), e);
        }
    }

    /** State inputs of the graph (one per layer with a kernel longer than 1). */
    public int stateCount() {
        return states.size();
    }

    /**
     * Steps through [batch, synapses, time] (row-major; synapses: the input's width) from zero state; returns {spike_prob, soma_mv},
     * and nexus_mv third when the graph has it, each row-major [batch][time] like the window graph's.
     */
    public float[][] runSequence(float[] input, int batch, int synapses, int time) {
        boolean dendrite = session.getOutputNames().contains(OnnxStepExporter.DENDRITE_OUTPUT);
        float[][] out = new float[dendrite ? 3 : 2][batch * time];
        Map<String, float[]> state = new HashMap<>();
        states.forEach((name, shape) -> state.put(name, new float[(int) (batch * shape[0] * shape[1])]));
        float[] column = new float[batch * synapses];
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                for (int s = 0; s < synapses; s++) {
                    column[b * synapses + s] = input[(b * synapses + s) * time + t];
                }
            }
            List<OnnxTensor> tensors = new ArrayList<>();
            try {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(column), new long[]{batch, synapses});
                tensors.add(x);
                feeds.put(inputName, x);
                for (Map.Entry<String, long[]> e : states.entrySet()) {
                    OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state.get(e.getKey())),
                            new long[]{batch, e.getValue()[0], e.getValue()[1]});
                    tensors.add(st);
                    feeds.put(e.getKey(), st);
                }
                try (OrtSession.Result r = session.run(feeds)) {
                    String[] names = dendrite
                            ? new String[]{OnnxStepExporter.SPIKE_OUTPUT, OnnxStepExporter.VOLTAGE_OUTPUT, OnnxStepExporter.DENDRITE_OUTPUT}
                            : new String[]{OnnxStepExporter.SPIKE_OUTPUT, OnnxStepExporter.VOLTAGE_OUTPUT};
                    for (int o = 0; o < names.length; o++) {
                        float[] v = OnnxRuntimeModel.floats(r, names[o]);
                        for (int b = 0; b < batch; b++) {
                            out[o][b * time + t] = v[b];
                        }
                    }
                    for (String name : states.keySet()) {
                        state.put(name, OnnxRuntimeModel.floats(r, name + "_out"));
                    }
                }
            } catch (OrtException e) {
                throw new DomainException(DomainException.Kind.INTERNAL, "ONNX Runtime failed to run the step graph: " + e.getMessage(), e);
            } finally {
                tensors.forEach(OnnxTensor::close);
            }
        }
        return out;
    }

    @Override
    public void close() {
        OnnxRuntimeModel.closeQuietly(session);
    }
}

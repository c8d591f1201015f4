package io.neurosurrogate.trainer.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.neurosurrogate.core.DomainException;

import java.nio.FloatBuffer;
import java.util.Map;

/** An exported surrogate loaded in ONNX Runtime (CPU, one intra-op thread): what inference will serve. */
public final class OnnxRuntimeModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    public OnnxRuntimeModel(byte[] onnx) {
        env = OrtEnvironment.getEnvironment();
        session = openSession(env, onnx, "the exported model");
    }

    /** A one-thread session of {@code onnx}; INTERNAL naming {@code what} when ONNX Runtime rejects it. */
    static OrtSession openSession(OrtEnvironment env, byte[] onnx, String what) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            return env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new DomainException(DomainException.Kind.INTERNAL, "ONNX Runtime rejected " + what + ": " + e.getMessage(), e);
        }
    }

    /** Releases a session; a failure to close leaves nothing useful to do. */
    static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing useful to do: the native session is being released anyway.
        }
    }

    /** Whether the graph has the dendritic head's output ({@link OnnxExporter#DENDRITE_OUTPUT}). */
    public boolean hasDendriteOutput() {
        return session.getOutputNames().contains(OnnxExporter.DENDRITE_OUTPUT);
    }

    /** The graph's output names, in order. */
    public java.util.List<String> outputNames() {
        return java.util.List.copyOf(session.getOutputNames());
    }

    /**
     * Runs [batch, synapses, time] (row-major); returns {spike_prob, soma_mv}, and nexus_mv third when
     * the graph has the dendritic head, each row-major [batch][time].
     */
    public float[][] run(float[] input, int batch, int synapses, int time) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{batch, synapses, time});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, x))) {
            if (hasDendriteOutput()) {
                return new float[][]{floats(r, OnnxExporter.SPIKE_OUTPUT), floats(r, OnnxExporter.VOLTAGE_OUTPUT),
                        floats(r, OnnxExporter.DENDRITE_OUTPUT)};
            }
            return new float[][]{floats(r, OnnxExporter.SPIKE_OUTPUT), floats(r, OnnxExporter.VOLTAGE_OUTPUT)};
        } catch (OrtException e) {
            throw new DomainException(DomainException.Kind.INTERNAL, "ONNX Runtime failed to run the exported model: " + e.getMessage(), e);
        }
    }

    /** The model's {@code metadata_props} (the model card), as ONNX Runtime reads them. */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new DomainException(DomainException.Kind.INTERNAL, "cannot read ONNX metadata: " + e.getMessage(), e);
        }
    }

    /** A float output of a run, copied out; INTERNAL when the graph has no such output. */
    static float[] floats(OrtSession.Result r, String name) {
        OnnxValue v = r.get(name).orElseThrow(() -> new DomainException(DomainException.Kind.INTERNAL, "ONNX output " + name + " missing"));
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }
}

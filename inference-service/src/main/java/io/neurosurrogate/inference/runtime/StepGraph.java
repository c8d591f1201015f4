package io.neurosurrogate.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.neurosurrogate.inference.runtime.OnnxModelLoader.InvalidModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The streaming form of a model version (the trainer's OnnxStepExporter): one session that advances a
 * batch of sequences by one 1 ms bin. Inputs: {@code spikes} [batch, synapses] and, per layer with
 * history, {@code state<i>} [batch, bins_i, channels_i]; outputs: spike_prob [batch], soma_mv [batch]
 * and {@code state<i>_out} (the next state). Zero state is the start of a sequence.
 */
public final class StepGraph {
    /** Metadata key and value that mark a step graph (OnnxStepExporter.GRAPH_KEY / GRAPH_STEP). */
    static final String GRAPH_KEY = "ns_graph";
    static final String GRAPH_STEP = "step";
    private static final String STATE_OUTPUT_SUFFIX = "_out";

    private final OrtSession session;
    private final String inputName;
    private final String spikeOutputName;
    private final String voltageOutputName;
    /** Null unless the graph has the dendritic head's output. */
    private String dendriteOutputName;
    private final String[] stateInputs;
    private final String[] stateOutputs;
    /** Width of the input: synapses, or the first layer's channels in an events graph. */
    private final int width;
    /** Floats of one sequence's state per layer: bins_i * channels_i. */
    private final int[] stateSizes;
    private final long[][] stateShapes;

    private StepGraph(OrtSession session, int width, String inputName, String spikeOutputName, String voltageOutputName,
                      List<String> stateInputs, List<long[]> stateShapes) {
        this.session = session;
        this.width = width;
        this.inputName = inputName;
        this.spikeOutputName = spikeOutputName;
        this.voltageOutputName = voltageOutputName;
        int layers = stateInputs.size();
        this.stateInputs = stateInputs.toArray(new String[0]);
        this.stateOutputs = new String[layers];
        this.stateSizes = new int[layers];
        this.stateShapes = new long[layers][];
        for (int i = 0; i < layers; i++) {
            this.stateOutputs[i] = this.stateInputs[i] + STATE_OUTPUT_SUFFIX;
            this.stateShapes[i] = stateShapes.get(i);
            this.stateSizes[i] = Math.toIntExact(stateShapes.get(i)[0] * stateShapes.get(i)[1]);
        }
    }

    /**
     * Checks that {@code session} is a step graph ({@code graphKind}: {@value #GRAPH_STEP}, or
     * "events" for the layers after an event-driven first layer) for {@code synapses} inputs (the
     * first layer's channels in an events graph) with the given output names.
     *
     * @throws InvalidModelException naming what is wrong; the caller closes the session
     */
    static StepGraph of(OrtSession session, int synapses, String inputName, String spikeOutputName, String voltageOutputName,
                        String label, String graphKind) throws OrtException, InvalidModelException {
        String graph = session.getMetadata().getCustomMetadata().get(GRAPH_KEY);
        if (!graphKind.equals(graph)) {
            throw new InvalidModelException(label + ": the graph's metadata has " + GRAPH_KEY + " = " + graph
                    + ", expected '" + graphKind + "'");
        }
        Map<String, NodeInfo> inputs = session.getInputInfo();
        long[] spikes = shapeOf(inputs.get(inputName));
        if (spikes == null || spikes.length != 2 || (spikes[1] > 0 && spikes[1] != synapses)) {
            throw new InvalidModelException(label + ": the step graph needs input '" + inputName + "' [batch, " + synapses
                    + "], has " + describe(spikes) + " (inputs: " + inputs.keySet() + ")");
        }
        List<String> stateInputs = new ArrayList<>();
        List<long[]> stateShapes = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
            if (e.getKey().equals(inputName)) {
                continue;
            }
            long[] shape = shapeOf(e.getValue());
            if (shape == null || shape.length != 3 || shape[1] < 1 || shape[2] < 1) {
                throw new InvalidModelException(label + ": step graph state input '" + e.getKey()
                        + "' must be [batch, bins, channels] with fixed bins and channels, has " + describe(shape));
            }
            if (!session.getOutputNames().contains(e.getKey() + STATE_OUTPUT_SUFFIX)) {
                throw new InvalidModelException(label + ": step graph has state input '" + e.getKey() + "' but no output '"
                        + e.getKey() + STATE_OUTPUT_SUFFIX + "' (outputs: " + session.getOutputNames() + ")");
            }
            stateInputs.add(e.getKey());
            stateShapes.add(new long[]{shape[1], shape[2]});
        }
        for (String output : new String[]{spikeOutputName, voltageOutputName}) {
            if (!session.getOutputNames().contains(output)) {
                throw new InvalidModelException(label + ": step graph has no output '" + output + "' (outputs: "
                        + session.getOutputNames() + ")");
            }
        }
        return new StepGraph(session, synapses, inputName, spikeOutputName, voltageOutputName, stateInputs, stateShapes);
    }

    private static long[] shapeOf(NodeInfo info) {
        return info != null && info.getInfo() instanceof TensorInfo tensor ? tensor.getShape() : null;
    }

    private static String describe(long[] shape) {
        return shape == null ? "no tensor" : java.util.Arrays.toString(shape);
    }

    OrtSession session() {
        return session;
    }

    String inputName() {
        return inputName;
    }

    /** Floats of one row of the input. */
    int width() {
        return width;
    }

    String spikeOutputName() {
        return spikeOutputName;
    }

    String voltageOutputName() {
        return voltageOutputName;
    }

    /** The dendritic head's output (nexus_mv [batch]), or null. */
    String dendriteOutputName() {
        return dendriteOutputName;
    }

    /** Records {@code name} as the dendritic head's output when the graph has it (an older graph may not). */
    StepGraph withDendrite(String name) {
        if (name != null && session.getOutputNames().contains(name)) {
            dendriteOutputName = name;
        }
        return this;
    }

    /** Layers with state. */
    public int layers() {
        return stateInputs.length;
    }

    String stateInput(int layer) {
        return stateInputs[layer];
    }

    String stateOutput(int layer) {
        return stateOutputs[layer];
    }

    /** Floats of one sequence's state of {@code layer}: bins * channels. */
    public int stateSize(int layer) {
        return stateSizes[layer];
    }

    /** [bins, channels] of {@code layer}'s state. */
    long[] stateShape(int layer) {
        return stateShapes[layer];
    }

    void close() throws OrtException {
        session.close();
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.trainer.onnx.OnnxNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The surrogate as a DL4J {@link ComputationGraph}: input "spikes" [batch, synapses, time] (NCW)
 * -> causal {@code Convolution1DLayer}s -> two per-time-step {@code RnnOutputLayer} heads,
 * "spike" (sigmoid, binary cross-entropy) and "voltage" (identity, MSE x voltage_loss_weight).
 *
 * <p>Why the first layer is factorised: DL4J 1.0.0-M2.1 computes a Conv1D by im2col, which for the
 * first layer copies synapses x kernel values per output bin (8,000 for 100 synapses x 80 ms) and,
 * with one or a few filters, does almost no arithmetic per copied value; measured here, one
 * training step of the iaf-1x1 net on 16 x 500 ms took 4-10 s. The first layer is therefore trained
 * as a kernel-1 "synapse mixing" conv (synapses -> R channels, no bias) followed by the temporal conv
 * (R -> filters, kernel k): a conv whose [filters, synapses, k] kernel is W[f,s,k] =
 * sum_r B[f,r,k] A[r,s]. That is ~20x faster and loses nothing for the integrate-and-fire neuron,
 * whose exact kernel is rank 1 (a per-synapse weight times one shared exp(-t / 20 ms) PSP shape;
 * Beniaguev et al. 2021). The ONNX export multiplies the two factors back into the single conv of
 * the architecture, so the served graph is exactly the configured one.
 */
public final class SurrogateNetwork {
    static final String INPUT = "spikes";
    static final String MIXING = "synapses";
    static final String SPIKE = "spike";
    static final String VOLTAGE = "voltage";
    /** Smallest synapse-mixing rank; the layer's filter count when larger. */
    static final int MIN_MIXING_RANK = 4;

    /**
     * The spike-head bias learns this much faster than the rest. It starts at the paper's -2.5
     * (p ~ 0.08) while ~1 bin in 1,000 holds a spike; at the common learning rate the bias needs
     * ~1,500 steps to reach that base rate, and meanwhile the cross-entropy of the many negative
     * bins drives the shared features to anti-correlate with excitation (measured: some seeds
     * ended at AUC ~0.1-0.4 after 1,500 windows). A fast bias absorbs the base rate in ~50 steps.
     */
    static final double SPIKE_BIAS_LR_FACTOR = 30;

    private final ComputationGraph graph;
    private final SurrogateArchitecture architecture;
    private final int synapses;
    private final int mixingRank;   // 0 = first layer is a plain conv

    private SurrogateNetwork(ComputationGraph graph, SurrogateArchitecture architecture, int synapses, int mixingRank) {
        this.graph = graph;
        this.architecture = architecture;
        this.synapses = synapses;
        this.mixingRank = mixingRank;
    }

    public static SurrogateNetwork create(SurrogateArchitecture architecture, int synapses, double learningRate,
                                          String optimizer, double voltageLossWeight, long seed) {
        IUpdater updater = optimizer.equals("adam") ? new Adam(learningRate) : new Nadam(learningRate);
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.recurrent(synapses, RNNFormat.NCW));
        List<ConvSpec> layers = architecture.layers();
        ConvSpec first = layers.get(0);
        int rank = mixingRank(first, synapses);
        String previous = INPUT;
        if (rank > 0) {
            g.addLayer(MIXING, new Convolution1DLayer.Builder()
                    .kernelSize(1).nOut(rank).hasBias(false).activation(Activation.IDENTITY)
                    .convolutionMode(ConvolutionMode.Causal).rnnDataFormat(RNNFormat.NCW).build(), previous);
            previous = MIXING;
        }
        for (int i = 0; i < layers.size(); i++) {
            ConvSpec l = layers.get(i);
            g.addLayer(convName(i), new Convolution1DLayer.Builder()
                    .kernelSize(l.kernelMs()).dilation(l.dilation()).nOut(l.filters())
                    .activation(Activations.dl4j(l.activation()))
                    .convolutionMode(ConvolutionMode.Causal).rnnDataFormat(RNNFormat.NCW).build(), previous);
            previous = convName(i);
        }
        g.addLayer(SPIKE, new RnnOutputLayer.Builder(new LossBinaryXENT())
                .nOut(1).activation(Activation.SIGMOID).biasInit(architecture.spikeBiasInit())
                .biasUpdater(optimizer.equals("adam") ? new Adam(learningRate * SPIKE_BIAS_LR_FACTOR) : new Nadam(learningRate * SPIKE_BIAS_LR_FACTOR))
                .dataFormat(RNNFormat.NCW).build(), previous);
        g.addLayer(VOLTAGE, new RnnOutputLayer.Builder(new LossMSE(Nd4j.create(new float[]{(float) voltageLossWeight}, 1, 1)))
                .nOut(1).activation(Activation.IDENTITY)
                .dataFormat(RNNFormat.NCW).build(), previous);
        g.setOutputs(SPIKE, VOLTAGE);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        // Both heads start with positive weights, so the spike logit and the voltage rise together
        // with the last layer's channels. With random signs the voltage loss shapes the shared
        // features as membrane potential while the rare spikes (~1 per 1,000 bins) are too few to
        // flip a negative spike weight: measured here, some seeds then converged to AUC ~0.1.
        for (String head : new String[]{SPIKE, VOLTAGE}) {
            INDArray w = graph.getLayer(head).getParam("W");
            w.assign(Transforms.abs(w, true));
        }
        return new SurrogateNetwork(graph, architecture, synapses, rank);
    }

    /** R for the factorised first layer, or 0 when the factorisation would not be cheaper. */
    static int mixingRank(ConvSpec first, int synapses) {
        int rank = Math.max(MIN_MIXING_RANK, first.filters());
        long factorised = (long) rank * (synapses + (long) first.filters() * first.kernelMs());
        long full = (long) first.filters() * synapses * first.kernelMs();
        return factorised < full ? rank : 0;
    }

    static String convName(int i) {
        return "conv" + i;
    }

    public SurrogateArchitecture architecture() {
        return architecture;
    }

    public int synapses() {
        return synapses;
    }

    public int receptiveFieldMs() {
        return architecture.receptiveFieldMs();
    }

    /** One optimiser step; returns DL4J's minibatch score (loss summed over unmasked bins, per window). */
    public double fit(MultiDataSet batch) {
        graph.fit(batch);
        return graph.score();
    }

    /**
     * Forward pass on [batch, synapses, time] (0/1, row-major): spike probability and normalised
     * voltage, each row-major [batch][time].
     */
    public float[][] predict(float[] input, int batch, int time) {
        INDArray x = Nd4j.create(input, new long[]{batch, synapses, time}, 'c');
        INDArray[] out = graph.output(false, x);
        return new float[][]{flat(out[0]), flat(out[1])};
    }

    public INDArray params() {
        return graph.params().dup();
    }

    public void setParams(INDArray params) {
        graph.setParams(params);
    }

    public long parameterCount() {
        return graph.numParams();
    }

    public String mixingDescription() {
        return mixingRank == 0 ? "first layer trained as a full conv"
                : "first layer trained factorised: synapse mixing " + synapses + "->" + mixingRank + " then the temporal conv; merged for export";
    }

    /** The trained weights as plain arrays, the factorised first layer multiplied back into one conv. */
    public OnnxNetwork toOnnxNetwork(VoltageNormalisation norm) {
        List<OnnxNetwork.Conv> convs = new ArrayList<>();
        int inChannels = synapses;
        for (int i = 0; i < architecture.layers().size(); i++) {
            ConvSpec l = architecture.layers().get(i);
            int in = i == 0 && mixingRank > 0 ? mixingRank : inChannels;
            float[] w = conv1dKernel(flat(graph.getLayer(convName(i)).getParam("W")), l.filters(), in, l.kernelMs());
            float[] b = flat(graph.getLayer(convName(i)).getParam("b"));
            if (i == 0 && mixingRank > 0) {
                float[] mixing = conv1dKernel(flat(graph.getLayer(MIXING).getParam("W")), mixingRank, synapses, 1);
                w = mergeMixing(mixing, w, l.filters(), mixingRank, synapses, l.kernelMs());
            }
            convs.add(new OnnxNetwork.Conv(l.filters(), inChannels, l.kernelMs(), l.dilation(), w, b, l.activation()));
            inChannels = l.filters();
        }
        return new OnnxNetwork(synapses, convs, head(SPIKE, inChannels), head(VOLTAGE, inChannels),
                (float) norm.meanMv(), (float) norm.stdMv(), (float) norm.clipMv());
    }

    private OnnxNetwork.Conv head(String name, int inChannels) {
        // RnnOutputLayer W is [nIn, nOut] = [inChannels, 1]: the same flat order as a [1][in][1] conv.
        float[] w = flat(graph.getLayer(name).getParam("W"));
        float[] b = flat(graph.getLayer(name).getParam("b"));
        return new OnnxNetwork.Conv(1, inChannels, 1, 1, w, b, "identity");
    }

    /**
     * DL4J 1.0.0-M2.1's Convolution1DLayer declares its "W" param as [out, in, k, 1], but the conv
     * op reads that buffer in libnd4j's default weight layout [k][in][out] (found with impulse
     * responses; the ONNX parity tests pin it). Returns the kernel it actually applies, in ONNX's
     * [out][in][k] order.
     */
    static float[] conv1dKernel(float[] dl4jW, int out, int in, int kernel) {
        float[] w = new float[dl4jW.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int k = 0; k < kernel; k++) {
                    w[(o * in + c) * kernel + k] = dl4jW[(k * in + c) * out + o];
                }
            }
        }
        return w;
    }

    /** W[f][s][k] = sum_r B[f][r][k] * A[r][s], in double, from A [rank][synapses] and B [filters][rank][k]. */
    static float[] mergeMixing(float[] a, float[] b, int filters, int rank, int synapses, int kernel) {
        float[] merged = new float[filters * synapses * kernel];
        double[] acc = new double[kernel];
        for (int f = 0; f < filters; f++) {
            for (int s = 0; s < synapses; s++) {
                java.util.Arrays.fill(acc, 0);
                for (int r = 0; r < rank; r++) {
                    double ars = a[r * synapses + s];
                    int base = (f * rank + r) * kernel;
                    for (int k = 0; k < kernel; k++) {
                        acc[k] += b[base + k] * ars;
                    }
                }
                int out = (f * synapses + s) * kernel;
                for (int k = 0; k < kernel; k++) {
                    merged[out + k] = (float) acc[k];
                }
            }
        }
        return merged;
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.trainer.onnx.OnnxNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
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
 * "spike" (sigmoid, binary cross-entropy) and "voltage" (identity, MSE x voltage_loss_weight), and
 * with the architecture's dendritic head a third, "dendrite" (identity, MSE with the voltage head's
 * weight: the normalised apical nexus voltage, one channel per recorded dendritic site).
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
    static final String DENDRITE = "dendrite";
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
        return create(architecture, synapses, TrainingSchedule.constant(learningRate, voltageLossWeight), optimizer, seed);
    }

    /**
     * The network with the schedule's learning rates built into the updaters (by epoch: call
     * {@link #endEpoch()} after every epoch) and the loss weights of its first epoch.
     */
    public static SurrogateNetwork create(SurrogateArchitecture architecture, int synapses, TrainingSchedule schedule,
                                          String optimizer, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater(optimizer, schedule.learningRates(1)))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.recurrent(synapses, RNNFormat.NCW));
        List<ConvSpec> layers = architecture.layers();
        int rank = mixingRank(architecture, synapses);
        String previous = INPUT;
        if (rank > 0) {
            g.addLayer(MIXING, new Convolution1DLayer.Builder()
                    .kernelSize(1).nOut(rank).hasBias(false).activation(Activation.IDENTITY)
                    .convolutionMode(ConvolutionMode.Causal).rnnDataFormat(RNNFormat.NCW).build(), previous);
            previous = MIXING;
        }
        for (int i = 0; i < layers.size(); i++) {
            ConvSpec l = layers.get(i);
            String blockInput = previous;
            g.addLayer(convName(i), new Convolution1DLayer.Builder()
                    .kernelSize(l.kernelMs()).dilation(l.dilation()).nOut(l.filters())
                    .activation(l.batchNorm() ? Activation.IDENTITY : Activations.dl4j(l.activation()))
                    .convolutionMode(ConvolutionMode.Causal).rnnDataFormat(RNNFormat.NCW).build(), previous);
            previous = convName(i);
            if (l.batchNorm()) {
                // DL4J M2.1's BatchNormalization takes feed-forward or CNN input, not [batch, channels, time]:
                // it sees the bins as rows ([batch*time, channels]), i.e. statistics per channel over batch
                // and time, as a Keras BatchNormalization after a Conv1D does.
                g.addLayer(bnName(i), new BatchNormalization.Builder().nOut(l.filters()).activation(Activation.IDENTITY).build(), previous);
                g.inputPreProcessor(bnName(i), new RnnToFeedForwardPreProcessor(RNNFormat.NCW));
                g.addLayer(actName(i), new ActivationLayer.Builder().activation(Activations.dl4j(l.activation())).build(), bnName(i));
                g.inputPreProcessor(actName(i), new FeedForwardToRnnPreProcessor(RNNFormat.NCW));
                previous = actName(i);
            }
            if (l.residual()) {
                g.addVertex(resName(i), new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, blockInput);
                previous = resName(i);
            }
        }
        TrainingSchedule.Phase first = schedule.phaseAt(1);
        g.addLayer(SPIKE, new RnnOutputLayer.Builder(spikeLoss(first.spikeLossWeight()))
                .nOut(1).activation(Activation.SIGMOID).biasInit(architecture.spikeBiasFromData() ? SurrogateArchitecture.PLACEHOLDER_SPIKE_BIAS : architecture.spikeBiasInit())
                .biasUpdater(updater(optimizer, schedule.learningRates(SPIKE_BIAS_LR_FACTOR)))
                .dataFormat(RNNFormat.NCW).build(), previous);
        g.addLayer(VOLTAGE, new RnnOutputLayer.Builder(voltageLoss(first.voltageLossWeight()))
                .nOut(1).activation(Activation.IDENTITY)
                .dataFormat(RNNFormat.NCW).build(), previous);
        if (architecture.dendriticHead()) {
            // Same input as the other heads; its MSE weighs like the soma voltage's (both are
            // normalised voltages), so it shapes the shared features no more than the soma does.
            g.addLayer(DENDRITE, new RnnOutputLayer.Builder(voltageLoss(first.voltageLossWeight()))
                    .nOut(architecture.dendriteChannels()).activation(Activation.IDENTITY)
                    .dataFormat(RNNFormat.NCW).build(), previous);
            g.setOutputs(SPIKE, VOLTAGE, DENDRITE);
        } else {
            g.setOutputs(SPIKE, VOLTAGE);
        }
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        // Both heads start with positive weights, so the spike logit and the voltage rise together
        // with the last layer's channels. With random signs the voltage loss shapes the shared
        // features as membrane potential while the rare spikes (~1 per 1,000 bins) are too few to
        // flip a negative spike weight: measured here, some seeds then converged to AUC ~0.1.
        // The dendritic head too: the nexus depolarises with the same excitation as the soma.
        String[] heads = architecture.dendriticHead() ? new String[]{SPIKE, VOLTAGE, DENDRITE} : new String[]{SPIKE, VOLTAGE};
        for (String head : heads) {
            INDArray w = graph.getLayer(head).getParam("W");
            w.assign(Transforms.abs(w, true));
        }
        return new SurrogateNetwork(graph, architecture, synapses, rank);
    }

    private static IUpdater updater(String optimizer, ISchedule lr) {
        return optimizer.equals("adam") ? new Adam(lr) : new Nadam(lr);
    }

    private static LossBinaryXENT spikeLoss(double weight) {
        return weight == 1.0 ? new LossBinaryXENT() : new LossBinaryXENT(Nd4j.create(new float[]{(float) weight}, 1, 1));
    }

    private static LossMSE voltageLoss(double weight) {
        return new LossMSE(Nd4j.create(new float[]{(float) weight}, 1, 1));
    }

    /** What {@link #initialiseHeads} measured and set; {@code dendriteBias} is NaN without the dendritic head. */
    public record HeadStart(double spikeRate, double spikeBias, double voltageBias, double dendriteBias) {
    }

    /**
     * Data-dependent start of the two heads, before the first step: the voltage bias makes the mean
     * prediction on these training windows equal the mean normalised target, and (when the
     * architecture leaves the spike bias to the data) the spike bias makes the mean logit the logit
     * of their spike rate; likewise the dendritic head's bias (when there is one) for the mean
     * normalised nexus target. Without it, the first steps are spent on the base rates, and Adam's
     * sign-like first steps over a first layer of ~25,000 weights per channel move every
     * pre-activation the same way: measured on 80 L5PC (AMPA) simulations, l5pc-ampa-1x128 with Adam
     * 1e-3 from the paper's spike bias had 0.1 % of its ReLUs active after 5 steps and validation AUC
     * 0.5 (0.79 at initialisation).
     */
    public HeadStart initialiseHeads(List<? extends MultiDataSet> batches) {
        double logitSum = 0;
        double voltageSum = 0;
        double targetSum = 0;
        double dendriteSum = 0;
        double dendriteTargetSum = 0;
        double spikes = 0;
        double bins = 0;
        String features = lastFeatureVertex();
        INDArray ws = graph.getLayer(SPIKE).getParam("W");      // [channels, 1]
        INDArray wv = graph.getLayer(VOLTAGE).getParam("W");
        boolean dendrite = hasDendriteHead();
        INDArray wd = dendrite ? graph.getLayer(DENDRITE).getParam("W") : null;
        for (MultiDataSet b : batches) {
            forgetTrainingBatch();
            INDArray h = graph.feedForward(b.getFeatures(), false, false).get(features);   // [batch, channels, time]
            long batch = h.size(0);
            long time = h.size(2);
            INDArray rows = h.permute(0, 2, 1).dup('c').reshape(batch * time, h.size(1));
            INDArray mask = b.getLabelsMaskArray(0).reshape(batch * time, 1);
            logitSum += rows.mmul(ws).muli(mask).sumNumber().doubleValue();
            voltageSum += rows.mmul(wv).muli(mask).sumNumber().doubleValue();
            spikes += b.getLabels(0).reshape(batch * time, 1).mul(mask).sumNumber().doubleValue();
            targetSum += b.getLabels(1).reshape(batch * time, 1).mul(mask).sumNumber().doubleValue();
            if (dendrite) {
                // Single channel today (one recorded site): one bias for the mean nexus target.
                dendriteSum += rows.mmul(wd).muli(mask).sumNumber().doubleValue();
                dendriteTargetSum += b.getLabels(2).reshape(batch * time, 1).mul(mask).sumNumber().doubleValue();
            }
            bins += mask.sumNumber().doubleValue();
        }
        forgetTrainingBatch();
        if (bins == 0) {
            throw new IllegalArgumentException("no counted bins to initialise the heads on");
        }
        // Half a spike added (and a bin) so that a spike-free sample gives a finite, very low rate.
        double rate = (spikes + 0.5) / (bins + 1);
        double spikeBias = architecture.spikeBiasFromData()
                ? Math.log(rate / (1 - rate)) - logitSum / bins
                : graph.getLayer(SPIKE).getParam("b").getDouble(0);
        double voltageBias = (targetSum - voltageSum) / bins;
        graph.getLayer(SPIKE).getParam("b").assign(spikeBias);
        graph.getLayer(VOLTAGE).getParam("b").assign(voltageBias);
        double dendriteBias = Double.NaN;
        if (dendrite) {
            dendriteBias = (dendriteTargetSum - dendriteSum) / bins;
            graph.getLayer(DENDRITE).getParam("b").assign(dendriteBias);
        }
        return new HeadStart(rate, spikeBias, voltageBias, dendriteBias);
    }

    private String lastFeatureVertex() {
        int last = architecture.layers().size() - 1;
        ConvSpec l = architecture.layers().get(last);
        return l.residual() ? resName(last) : l.batchNorm() ? actName(last) : convName(last);
    }

    /**
     * Sets the loss weights of the heads (the paper steps the spike weight up during training); the
     * dendritic head, when there is one, follows the voltage weight.
     */
    public void setLossWeights(double spikeWeight, double voltageWeight) {
        ((BaseOutputLayer) graph.getLayer(SPIKE).conf().getLayer()).setLossFn(spikeLoss(spikeWeight));
        ((BaseOutputLayer) graph.getLayer(VOLTAGE).conf().getLayer()).setLossFn(voltageLoss(voltageWeight));
        if (hasDendriteHead()) {
            ((BaseOutputLayer) graph.getLayer(DENDRITE).conf().getLayer()).setLossFn(voltageLoss(voltageWeight));
        }
    }

    /** Whether the network has the dendritic (apical nexus) head. */
    public boolean hasDendriteHead() {
        return architecture.dendriticHead();
    }

    /** Ends an epoch: the epoch-indexed learning-rate schedule moves on. */
    public void endEpoch() {
        graph.incrementEpochCount();
    }

    /** Learning rate of the conv layers in the current epoch. */
    public double currentLearningRate() {
        return graph.getLayer(convName(0)).conf().getLayer().getUpdaterByParam("W")
                .getLearningRate(graph.getIterationCount(), graph.getEpochCount());
    }

    /** Parameters, updater state and iteration/epoch counters: all a checkpoint needs to continue. */
    public record State(INDArray params, INDArray updater, int iterations, int epochs) {
    }

    public State state() {
        INDArray u = graph.getUpdater().getStateViewArray();
        return new State(graph.params().dup(), u == null ? null : u.dup(), graph.getIterationCount(), graph.getEpochCount());
    }

    public void restore(State state) {
        if (state.params().length() != graph.numParams()) {
            throw new IllegalArgumentException("checkpoint holds " + state.params().length() + " parameters, the network " + graph.numParams());
        }
        graph.setParams(state.params());
        INDArray u = graph.getUpdater().getStateViewArray();
        if (u != null && state.updater() != null) {
            if (u.length() != state.updater().length()) {
                throw new IllegalArgumentException("checkpoint updater state has " + state.updater().length() + " values, the network " + u.length());
            }
            u.assign(state.updater().reshape(u.shape()));
        }
        graph.getConfiguration().setIterationCount(state.iterations());
        graph.getConfiguration().setEpochCount(state.epochs());
    }

    /**
     * Sets every batch-norm layer's running mean and variance to the statistics of its input on
     * these windows (layer by layer, each with the earlier layers already recalibrated), as a
     * converged running average would hold them. For tests and for re-estimating the statistics
     * of a trained network on chosen data; training itself keeps DL4J's running averages.
     */
    public void calibrateBatchNorm(float[] input, int batch, int time) {
        INDArray x = Nd4j.create(input, new long[]{batch, synapses, time}, 'c');
        forgetTrainingBatch();
        for (int i = 0; i < architecture.layers().size(); i++) {
            if (!architecture.layers().get(i).batchNorm()) {
                continue;
            }
            INDArray conv = graph.feedForward(new INDArray[]{x}, false, false).get(convName(i));   // [batch, channels, time]
            INDArray mean = conv.mean(0, 2);
            INDArray var = conv.var(false, 0, 2);
            org.deeplearning4j.nn.api.Layer bn = graph.getLayer(bnName(i));
            BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
            bn.getParam("mean").assign(mean.reshape(bn.getParam("mean").shape()));
            if (conf.isUseLogStd()) {
                INDArray std = Transforms.sqrt(var.add(conf.getEps()), false);
                bn.getParam("log10stdev").assign(Transforms.log(std, 10, false).reshape(bn.getParam("log10stdev").shape()));
            } else {
                bn.getParam("var").assign(var.reshape(bn.getParam("var").shape()));
            }
        }
    }

    /**
     * DL4J 1.0.0-M2.1's feed-forward-to-RNN preprocessor (after each batch norm) reshapes its rows
     * into [minibatch, time] with the graph's batchSize(), which is the size of the LAST TRAINING
     * batch's labels while those are still set (output() does not clear them): inference with another
     * batch size than the last training step would fail, or worse, mix windows. Clear them first.
     */
    private void forgetTrainingBatch() {
        graph.clear();
    }

    /** R for the factorised first layer, or 0 for the dense conv. */
    static int mixingRank(SurrogateArchitecture a, int synapses) {
        ConvSpec first = a.layers().get(0);
        int rank = a.mixingRank() > 0 ? a.mixingRank() : Math.max(MIN_MIXING_RANK, first.filters());
        return switch (a.firstLayer()) {
            case DENSE -> 0;
            case FACTORISED -> rank;
            case AUTO -> {
                long factorised = (long) rank * (synapses + (long) first.filters() * first.kernelMs());
                long full = (long) first.filters() * synapses * first.kernelMs();
                yield factorised < full ? rank : 0;
            }
        };
    }

    static String convName(int i) {
        return "conv" + i;
    }

    static String bnName(int i) {
        return "bn" + i;
    }

    static String actName(int i) {
        return "act" + i;
    }

    static String resName(int i) {
        return "res" + i;
    }

    /** The DL4J graph, for tests and diagnostics. */
    ComputationGraph graph() {
        return graph;
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
     * voltage, each row-major [batch][time], and with the dendritic head a third array, the
     * normalised nexus voltage, row-major [batch][channel][time] (one channel: [batch][time]).
     */
    public float[][] predict(float[] input, int batch, int time) {
        INDArray x = Nd4j.create(input, new long[]{batch, synapses, time}, 'c');
        forgetTrainingBatch();
        INDArray[] out = graph.output(false, x);
        return out.length > 2
                ? new float[][]{flat(out[0]), flat(out[1]), flat(out[2])}
                : new float[][]{flat(out[0]), flat(out[1])};
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
        return mixingRank == 0 ? "first layer trained as the dense conv"
                : "first layer trained factorised: synapse mixing " + synapses + "->" + mixingRank + " then the temporal conv; "
                + (exportsFactorised() ? "exported factorised (a 1x1 mixing conv, then the temporal conv)" : "merged for export");
    }

    /**
     * Whether the export keeps a factorised first layer as two convs (the 1x1 synapse mixing, then the
     * temporal conv) rather than multiplying them into one: whenever that costs fewer multiply-adds
     * per output bin, synapses x rank + rank x kernel x filters against synapses x kernel x filters.
     * For l5pc-ampa-1x128 that is 0.78 M instead of 3.29 M, 4.2x less work in every graph, and the
     * event-driven form then scatters a spike's 128 mixing weights instead of its 43 x 128 kernel.
     */
    boolean exportsFactorised() {
        if (mixingRank == 0) {
            return false;
        }
        ConvSpec first = architecture.layers().get(0);
        long factorised = (long) synapses * mixingRank + (long) mixingRank * first.kernelMs() * first.filters();
        long merged = (long) synapses * first.kernelMs() * first.filters();
        return factorised < merged;
    }

    /**
     * The trained weights as plain arrays, batch normalisation (inference mode: running mean and
     * variance) folded into the conv: W' = W * gamma / std, b' = (b - mean) * gamma / std + beta.
     * A factorised first layer stays two convs when that is cheaper ({@link #exportsFactorised()}),
     * else it is multiplied back into one conv.
     */
    public OnnxNetwork toOnnxNetwork(VoltageNormalisation norm) {
        return toOnnxNetwork(norm, null);
    }

    /**
     * As {@link #toOnnxNetwork(VoltageNormalisation)}, with the dendritic head and its
     * de-normalisation when the network has one ({@code nexusNorm} is then required).
     */
    public OnnxNetwork toOnnxNetwork(VoltageNormalisation norm, NexusNormalisation nexusNorm) {
        if (hasDendriteHead() && nexusNorm == null) {
            throw new IllegalArgumentException("the network has a dendritic head: its export needs the nexus normalisation");
        }
        List<OnnxNetwork.Conv> convs = new ArrayList<>();
        int inChannels = synapses;
        boolean factorised = exportsFactorised();
        if (factorised) {
            float[] mixing = conv1dKernel(flat(graph.getLayer(MIXING).getParam("W")), mixingRank, synapses, 1);
            convs.add(new OnnxNetwork.Conv(mixingRank, synapses, 1, 1, mixing, new float[mixingRank], "identity", false));
            inChannels = mixingRank;
        }
        for (int i = 0; i < architecture.layers().size(); i++) {
            ConvSpec l = architecture.layers().get(i);
            int in = i == 0 && mixingRank > 0 ? mixingRank : inChannels;
            float[] w = conv1dKernel(flat(graph.getLayer(convName(i)).getParam("W")), l.filters(), in, l.kernelMs());
            float[] b = flat(graph.getLayer(convName(i)).getParam("b"));
            if (i == 0 && mixingRank > 0 && !factorised) {
                float[] mixing = conv1dKernel(flat(graph.getLayer(MIXING).getParam("W")), mixingRank, synapses, 1);
                w = mergeMixing(mixing, w, l.filters(), mixingRank, synapses, l.kernelMs());
            }
            if (l.batchNorm()) {
                foldBatchNorm(bnName(i), w, b, inChannels * l.kernelMs());
            }
            convs.add(new OnnxNetwork.Conv(l.filters(), inChannels, l.kernelMs(), l.dilation(), w, b, l.activation(), l.residual()));
            inChannels = l.filters();
        }
        OnnxNetwork.Dendrite dendrite = hasDendriteHead()
                ? new OnnxNetwork.Dendrite(head(DENDRITE, inChannels), (float) nexusNorm.meanMv(), (float) nexusNorm.stdMv())
                : null;
        return new OnnxNetwork(synapses, convs, head(SPIKE, inChannels), head(VOLTAGE, inChannels),
                (float) norm.meanMv(), (float) norm.stdMv(), (float) norm.clipMv(), dendrite);
    }

    /** Folds a trained BatchNormalization layer (in place) into the preceding conv's [out][in*k] weights and bias. */
    private void foldBatchNorm(String name, float[] w, float[] b, int perOutput) {
        org.deeplearning4j.nn.api.Layer bn = graph.getLayer(name);
        BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
        float[] gamma = flat(bn.getParam("gamma"));
        float[] beta = flat(bn.getParam("beta"));
        float[] mean = flat(bn.getParam("mean"));
        float[] std = new float[mean.length];
        if (conf.isUseLogStd()) {
            // DL4J keeps log10(sqrt(var + eps)) in this mode.
            float[] log10std = flat(bn.getParam("log10stdev"));
            for (int c = 0; c < std.length; c++) {
                std[c] = (float) Math.pow(10, log10std[c]);
            }
        } else {
            float[] var = flat(bn.getParam("var"));
            for (int c = 0; c < std.length; c++) {
                std[c] = (float) Math.sqrt(var[c] + conf.getEps());
            }
        }
        for (int o = 0; o < b.length; o++) {
            double scale = (double) gamma[o] / std[o];
            for (int j = 0; j < perOutput; j++) {
                w[o * perOutput + j] = (float) (w[o * perOutput + j] * scale);
            }
            b[o] = (float) ((b[o] - mean[o]) * scale + beta[o]);
        }
    }

    private OnnxNetwork.Conv head(String name, int inChannels) {
        // RnnOutputLayer W is [nIn, nOut]; a 1x1 conv wants [out][in][1]: the transpose (for one
        // output, [inChannels, 1], the same flat order).
        INDArray weights = graph.getLayer(name).getParam("W");
        float[] w = flat(weights.transpose());
        float[] b = flat(graph.getLayer(name).getParam("b"));
        return new OnnxNetwork.Conv((int) weights.size(1), inChannels, 1, 1, w, b, "identity", false);
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

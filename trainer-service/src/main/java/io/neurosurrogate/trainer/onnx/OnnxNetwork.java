package io.neurosurrogate.trainer.onnx;

import java.util.List;

/**
 * A trained surrogate as plain arrays, independent of the framework that trained it: what the
 * exporter turns into an ONNX graph.
 *
 * @param synapses    input channels (excitatory first, then inhibitory)
 * @param layers      causal convolutions, in order
 * @param spikeHead   per-time-step spike logit (1x1 conv, then sigmoid)
 * @param voltageHead per-time-step normalised soma voltage (1x1 conv, then x std + mean)
 * @param vMeanMv     voltage de-normalisation, applied inside the graph
 * @param vStdMv      voltage de-normalisation, applied inside the graph
 * @param vClipMv     upper bound of the predicted voltage: the targets are the soma voltage with
 *                    spikes removed, clipped at this value (Beniaguev et al. 2021), so no prediction
 *                    above it can be right
 * @param dendrite    the optional dendritic head (normalised apical nexus voltage), or null
 */
public record OnnxNetwork(int synapses, List<Conv> layers, Conv spikeHead, Conv voltageHead, float vMeanMv, float vStdMv,
                          float vClipMv, Dendrite dendrite) {

    /**
     * The dendritic head: a 1x1 conv to the normalised nexus voltage, de-normalised inside the graph
     * (x * nexusStdMv + nexusMeanMv, no clipping). One output channel: our simulations record one
     * dendritic site, the apical nexus.
     */
    public record Dendrite(Conv head, float nexusMeanMv, float nexusStdMv) {
    }

    public OnnxNetwork(int synapses, List<Conv> layers, Conv spikeHead, Conv voltageHead, float vMeanMv, float vStdMv,
                       float vClipMv) {
        this(synapses, layers, spikeHead, voltageHead, vMeanMv, vStdMv, vClipMv, null);
    }

    public OnnxNetwork {
        layers = List.copyOf(layers);
        int channels = synapses;
        for (Conv c : layers) {
            if (c.inChannels() != channels) {
                throw new IllegalArgumentException("layer expects " + c.inChannels() + " input channels, previous layer gives " + channels);
            }
            channels = c.outChannels();
        }
        if (spikeHead.inChannels() != channels || voltageHead.inChannels() != channels
                || spikeHead.kernel() != 1 || voltageHead.kernel() != 1
                || spikeHead.outChannels() != 1 || voltageHead.outChannels() != 1) {
            throw new IllegalArgumentException("heads must be 1x1 convs from " + channels + " channels to 1");
        }
        if (dendrite != null && (dendrite.head().inChannels() != channels || dendrite.head().kernel() != 1
                || dendrite.head().outChannels() != 1)) {
            throw new IllegalArgumentException("the dendritic head must be a 1x1 conv from " + channels + " channels to 1 (one recorded site)");
        }
    }

    public boolean hasDendrite() {
        return dendrite != null;
    }

    /**
     * One causal convolution: {@code weights} row-major [out][in][kernel] (ONNX Conv layout, a
     * cross-correlation: weight index kernel-1 multiplies the current bin), {@code bias} [out].
     * Activation: "identity", "relu", "tanh" or "sigmoid". Residual: the layer's input is added to
     * its activated output (needs as many input as output channels). Batch normalisation, when the
     * network had it, is already folded into weights and bias.
     */
    public record Conv(int outChannels, int inChannels, int kernel, int dilation, float[] weights, float[] bias, String activation,
                       boolean residual) {
        public Conv {
            if (weights.length != outChannels * inChannels * kernel || bias.length != outChannels) {
                throw new IllegalArgumentException("conv arrays do not match [" + outChannels + "][" + inChannels + "][" + kernel + "]");
            }
            if (residual && inChannels != outChannels) {
                throw new IllegalArgumentException("a residual conv needs in = out channels, got " + inChannels + " -> " + outChannels);
            }
        }

        public Conv(int outChannels, int inChannels, int kernel, int dilation, float[] weights, float[] bias, String activation) {
            this(outChannels, inChannels, kernel, dilation, weights, bias, activation, false);
        }

        public int historyMs() {
            return (kernel - 1) * dilation;
        }
    }

    public int receptiveFieldMs() {
        int rf = 1;
        for (Conv c : layers) {
            rf += c.historyMs();
        }
        return rf;
    }
}

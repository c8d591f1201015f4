package io.neurosurrogate.core.inference;

import java.util.Locale;

/**
 * The first causal convolution of a surrogate computed event by event. Its input is spikes (0/1 per
 * synapse and 1 ms bin) and only ~1-2 % of synapses spike in a bin, so instead of a dense product over
 * every synapse and tap per step, each input spike adds its synapse's kernel (kernel x channels
 * weights) to the layer's pre-activations of the bins it will reach: delay 0 (this bin), d, 2d, ...
 * (k-1)d. The pre-activations of the coming (k-1)d+1 bins live in a ring of that many slots per
 * sequence; a step emits the current slot (plus bias, activated) and clears it for reuse.
 * Cost per neuron-ms: spikes x kernel x channels additions, against synapses x kernel x channels
 * multiply-adds for the dense step.
 *
 * <p>The same function as the convolution of the window graph: y[t] = act(b + sum over delays j of
 * W[j] x[t - j d]), with zero input before a sequence starts (the window's causal zero padding).
 * Weights are laid out [synapse][delay][channel], delay 0 multiplying the current bin.
 * Thread-safe for concurrent use on different rings (the layer itself is immutable).
 */
public final class EventInputLayer {
    /** Activations the exporters write (OnnxNetwork.Conv.activation). */
    public enum Activation {
        IDENTITY, RELU, TANH, SIGMOID;

        public static Activation parse(String name) {
            return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
                case "identity", "linear" -> IDENTITY;
                case "relu" -> RELU;
                case "tanh" -> TANH;
                case "sigmoid" -> SIGMOID;
                default -> throw new IllegalArgumentException("unknown activation '" + name + "' (identity, relu, tanh, sigmoid)");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int synapses;
    private final int kernel;
    private final int dilation;
    private final int channels;
    private final float[] weights;
    private final float[] bias;
    private final Activation activation;
    /** Ring slots: (kernel - 1) * dilation + 1. */
    private final int slots;
    /** Floats per synapse's kernel: kernel * channels. */
    private final int column;

    /**
     * @param weights [synapses][kernel][channels], delay 0 (the current bin) first
     * @param bias    [channels]
     */
    public EventInputLayer(int synapses, int kernel, int dilation, int channels, float[] weights, float[] bias, Activation activation) {
        if (synapses < 1 || kernel < 1 || dilation < 1 || channels < 1) {
            throw new IllegalArgumentException("event layer needs synapses, kernel, dilation and channels >= 1, got "
                    + synapses + ", " + kernel + ", " + dilation + ", " + channels);
        }
        if ((long) synapses * kernel * channels != weights.length || bias.length != channels) {
            throw new IllegalArgumentException("event layer arrays do not match [" + synapses + "][" + kernel + "][" + channels
                    + "]: " + weights.length + " weights, " + bias.length + " biases");
        }
        this.synapses = synapses;
        this.kernel = kernel;
        this.dilation = dilation;
        this.channels = channels;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.slots = (kernel - 1) * dilation + 1;
        this.column = kernel * channels;
    }

    /**
     * From ONNX Conv weights [out][in][kernel] (a cross-correlation: kernel index k-1 multiplies the
     * current bin), as the window graph holds them.
     */
    public static EventInputLayer fromConv(int out, int in, int kernel, int dilation, float[] convWeights, float[] bias,
                                           Activation activation) {
        if ((long) out * in * kernel != convWeights.length) {
            throw new IllegalArgumentException("conv weights do not match [" + out + "][" + in + "][" + kernel + "]");
        }
        float[] w = new float[convWeights.length];
        for (int o = 0; o < out; o++) {
            for (int s = 0; s < in; s++) {
                for (int k = 0; k < kernel; k++) {
                    int delay = kernel - 1 - k;
                    w[(s * kernel + delay) * out + o] = convWeights[(o * in + s) * kernel + k];
                }
            }
        }
        return new EventInputLayer(in, kernel, dilation, out, w, bias.clone(), activation);
    }

    public int synapses() {
        return synapses;
    }

    public int kernel() {
        return kernel;
    }

    public int dilation() {
        return dilation;
    }

    public int channels() {
        return channels;
    }

    public Activation activation() {
        return activation;
    }

    /** [synapses][kernel][channels], delay 0 first; a copy. */
    public float[] weights() {
        return weights.clone();
    }

    public float[] bias() {
        return bias.clone();
    }

    /** Floats of one sequence's ring: ((kernel - 1) * dilation + 1) * channels. Zeros: a sequence's start. */
    public int ringFloats() {
        return slots * channels;
    }

    /** Slots in a ring; a sequence's position cycles through 0 .. slots-1, starting at 0. */
    public int slots() {
        return slots;
    }

    /** Additions per input spike: kernel x channels. */
    public int columnFloats() {
        return column;
    }

    /**
     * Adds one input spike on {@code synapse} in the current bin, for the sequence whose ring starts at
     * {@code ring[offset]} and whose current slot is {@code position}.
     */
    public void addSpike(float[] ring, int offset, int position, int synapse) {
        if (synapse < 0 || synapse >= synapses) {
            throw new IllegalArgumentException("synapse " + synapse + " outside 0.." + (synapses - 1));
        }
        final int c = channels;
        int w = synapse * column;
        int slot = position;
        for (int j = 0; j < kernel; j++) {
            int r = offset + slot * c;
            for (int ch = 0; ch < c; ch++) {
                ring[r + ch] += weights[w + ch];
            }
            w += c;
            slot += dilation;
            if (slot >= slots) {
                slot -= slots;
            }
        }
    }

    /**
     * Emits the current bin: {@code out[outOffset + ch] = act(ring slot + bias)}, clears the slot for
     * the bin (k-1)d+1 ahead, and returns the next position.
     */
    public int emit(float[] ring, int offset, int position, float[] out, int outOffset) {
        final int c = channels;
        int r = offset + position * c;
        for (int ch = 0; ch < c; ch++) {
            out[outOffset + ch] = ring[r + ch] + bias[ch];
        }
        activate(out, outOffset);
        java.util.Arrays.fill(ring, r, r + c, 0f);
        int next = position + 1;
        return next == slots ? 0 : next;
    }

    /**
     * One bin of one sequence: adds the spikes {@code spikes[from .. to)} (synapse indices plus
     * {@code base}, each checked by the caller to lie in 0 .. synapses-1 after subtracting it), emits the
     * bin into {@code out[outOffset ..]} as {@link #emit} does and returns the next position. The same
     * as {@link #addSpike} for each spike and then {@link #emit}, up to the order of float additions.
     * A kernel-1 layer (a factorised first layer's mixing) needs no ring: its spikes' rows are summed
     * straight into the output, four at a time (about twice as fast as one by one through the ring).
     */
    public int addAndEmit(float[] ring, int offset, int position, int[] spikes, int from, int to, int base, float[] out, int outOffset) {
        if (kernel != 1) {
            for (int k = from; k < to; k++) {
                addSpike(ring, offset, position, spikes[k] - base);
            }
            return emit(ring, offset, position, out, outOffset);
        }
        final int c = channels;
        final float[] w = weights;
        // a kernel-1 ring holds nothing between bins (emit clears it): start from its slot, which is zero
        // unless addSpike was used on it in this bin
        int r = offset + position * c;
        for (int ch = 0; ch < c; ch++) {
            out[outOffset + ch] = ring[r + ch] + bias[ch];
        }
        int k = from;
        for (; k + 3 < to; k += 4) {
            int w0 = (spikes[k] - base) * c;
            int w1 = (spikes[k + 1] - base) * c;
            int w2 = (spikes[k + 2] - base) * c;
            int w3 = (spikes[k + 3] - base) * c;
            for (int ch = 0; ch < c; ch++) {
                out[outOffset + ch] += (w[w0 + ch] + w[w1 + ch]) + (w[w2 + ch] + w[w3 + ch]);
            }
        }
        for (; k < to; k++) {
            int w0 = (spikes[k] - base) * c;
            for (int ch = 0; ch < c; ch++) {
                out[outOffset + ch] += w[w0 + ch];
            }
        }
        java.util.Arrays.fill(ring, r, r + c, 0f);
        activate(out, outOffset);
        return 0;
    }

    private void activate(float[] out, int outOffset) {
        final int c = channels;
        switch (activation) {
            case RELU -> {
                for (int ch = 0; ch < c; ch++) {
                    float v = out[outOffset + ch];
                    out[outOffset + ch] = v > 0f ? v : 0f;
                }
            }
            case IDENTITY -> {
            }
            case TANH -> {
                for (int ch = 0; ch < c; ch++) {
                    out[outOffset + ch] = (float) Math.tanh(out[outOffset + ch]);
                }
            }
            case SIGMOID -> {
                for (int ch = 0; ch < c; ch++) {
                    out[outOffset + ch] = (float) (1.0 / (1.0 + Math.exp(-out[outOffset + ch])));
                }
            }
        }
    }

    /**
     * The layer over a whole input from zero state: [time] lists of spiking synapses in,
     * [time][channels] row-major out. For tests and export checks.
     */
    public float[] run(int[][] spikesByBin) {
        float[] ring = new float[ringFloats()];
        float[] out = new float[spikesByBin.length * channels];
        int position = 0;
        for (int t = 0; t < spikesByBin.length; t++) {
            for (int s : spikesByBin[t]) {
                addSpike(ring, 0, position, s);
            }
            position = emit(ring, 0, position, out, t * channels);
        }
        return out;
    }
}

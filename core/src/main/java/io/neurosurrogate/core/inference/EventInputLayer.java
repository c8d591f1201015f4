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
        switch (activation) {
            case RELU -> {
                for (int ch = 0; ch < c; ch++) {
                    float v = ring[r + ch] + bias[ch];
                    out[outOffset + ch] = v > 0f ? v : 0f;
                }
            }
            case IDENTITY -> {
                for (int ch = 0; ch < c; ch++) {
                    out[outOffset + ch] = ring[r + ch] + bias[ch];
                }
            }
            case TANH -> {
                for (int ch = 0; ch < c; ch++) {
                    out[outOffset + ch] = (float) Math.tanh(ring[r + ch] + bias[ch]);
                }
            }
            case SIGMOID -> {
                for (int ch = 0; ch < c; ch++) {
                    out[outOffset + ch] = (float) (1.0 / (1.0 + Math.exp(-(ring[r + ch] + bias[ch]))));
                }
            }
        }
        java.util.Arrays.fill(ring, r, r + c, 0f);
        int next = position + 1;
        return next == slots ? 0 : next;
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

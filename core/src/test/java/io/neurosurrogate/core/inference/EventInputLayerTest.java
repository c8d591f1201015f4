package io.neurosurrogate.core.inference;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event-driven first layer equals the dense causal convolution it replaces. */
class EventInputLayerTest {

    @Test
    void equalsTheDenseCausalConvolutionForEveryActivationAndDilation() {
        Random r = new Random(3);
        int synapses = 30;
        int channels = 7;
        int time = 200;
        for (EventInputLayer.Activation act : EventInputLayer.Activation.values()) {
            for (int[] kd : new int[][]{{1, 1}, {5, 1}, {4, 3}}) {
                int kernel = kd[0];
                int dilation = kd[1];
                float[] conv = new float[channels * synapses * kernel];
                for (int i = 0; i < conv.length; i++) {
                    conv[i] = (float) r.nextGaussian();
                }
                float[] bias = new float[channels];
                for (int i = 0; i < channels; i++) {
                    bias[i] = (float) r.nextGaussian();
                }
                boolean[][] x = new boolean[synapses][time];
                int[][] byBin = new int[time][];
                for (int t = 0; t < time; t++) {
                    List<Integer> on = new ArrayList<>();
                    for (int s = 0; s < synapses; s++) {
                        x[s][t] = r.nextDouble() < 0.2;
                        if (x[s][t]) {
                            on.add(s);
                        }
                    }
                    byBin[t] = on.stream().mapToInt(Integer::intValue).toArray();
                }
                EventInputLayer layer = EventInputLayer.fromConv(channels, synapses, kernel, dilation, conv, bias, act);
                float[] out = layer.run(byBin);
                // the same bins through addAndEmit (kernel 1: summed four spikes at a time), spikes offset by a row's base
                int base = 1000;
                float[] fused = new float[time * channels];
                float[] ring = new float[layer.ringFloats()];
                int position = 0;
                for (int t = 0; t < time; t++) {
                    int[] shifted = new int[byBin[t].length + 2];
                    for (int i = 0; i < byBin[t].length; i++) {
                        shifted[i + 1] = byBin[t][i] + base;
                    }
                    position = layer.addAndEmit(ring, 0, position, shifted, 1, byBin[t].length + 1, base, fused, t * channels);
                }
                for (int t = 0; t < time; t++) {
                    for (int o = 0; o < channels; o++) {
                        double sum = bias[o];
                        for (int s = 0; s < synapses; s++) {
                            for (int k = 0; k < kernel; k++) {
                                int src = t - (kernel - 1 - k) * dilation;
                                if (src >= 0 && x[s][src]) {
                                    sum += conv[(o * synapses + s) * kernel + k];
                                }
                            }
                        }
                        double expected = switch (act) {
                            case IDENTITY -> sum;
                            case RELU -> Math.max(0, sum);
                            case TANH -> Math.tanh(sum);
                            case SIGMOID -> 1 / (1 + Math.exp(-sum));
                        };
                        assertThat((double) out[t * channels + o]).as("%s k=%d d=%d t=%d o=%d", act, kernel, dilation, t, o)
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
                        assertThat((double) fused[t * channels + o]).as("addAndEmit %s k=%d d=%d t=%d o=%d", act, kernel, dilation, t, o)
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void ringsOfSeveralSequencesInOneArrayStayApart() {
        float[] conv = {1f, 2f, 3f};   // [1 out][1 in][3 taps]: 3 for this bin, 2 one bin ago, 1 two ago
        EventInputLayer layer = EventInputLayer.fromConv(1, 1, 3, 1, conv, new float[]{0f}, EventInputLayer.Activation.IDENTITY);
        float[] rings = new float[2 * layer.ringFloats()];
        float[] out = new float[2];
        layer.addSpike(rings, layer.ringFloats(), 0, 0);   // sequence 1 spikes at t = 0
        int p0 = layer.emit(rings, 0, 0, out, 0);
        int p1 = layer.emit(rings, layer.ringFloats(), 0, out, 1);
        assertThat(out).containsExactly(0f, 3f);
        p0 = layer.emit(rings, 0, p0, out, 0);
        p1 = layer.emit(rings, layer.ringFloats(), p1, out, 1);
        assertThat(out).containsExactly(0f, 2f);
        layer.emit(rings, 0, p0, out, 0);
        p1 = layer.emit(rings, layer.ringFloats(), p1, out, 1);
        assertThat(out[1]).isEqualTo(1f);
        assertThat(p1).isEqualTo(0);
        layer.emit(rings, layer.ringFloats(), p1, out, 1);
        assertThat(out[1]).as("the slot was cleared for reuse").isEqualTo(0f);
    }

    @Test
    void rejectsBadShapesAndSynapses() {
        assertThatThrownBy(() -> new EventInputLayer(2, 3, 1, 4, new float[5], new float[4], EventInputLayer.Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match");
        EventInputLayer layer = new EventInputLayer(2, 1, 1, 1, new float[2], new float[1], EventInputLayer.Activation.RELU);
        assertThatThrownBy(() -> layer.addSpike(new float[1], 0, 0, 2)).hasMessageContaining("outside 0..1");
        assertThatThrownBy(() -> EventInputLayer.Activation.parse("gelu")).hasMessageContaining("unknown activation");
    }
}

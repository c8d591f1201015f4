package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.simulator.input.InputRanges;
import io.neurosurrogate.simulator.input.RandomInputGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class IntegrateAndFireEngineTest {
    private final IntegrateAndFireEngine engine = new IntegrateAndFireEngine();

    /** Input with {@code count} spikes at {@code bin}, on synapses first..first+count-1. */
    private static SynapticInput spikesAt(int durationMs, int bin, int firstSynapse, int count) {
        int[][] bins = new int[100][];
        for (int s = 0; s < 100; s++) {
            bins[s] = (s >= firstSynapse && s < firstSynapse + count) ? new int[]{bin} : new int[0];
        }
        return new SynapticInput(80, 20, durationMs, bins);
    }

    @Test
    void restsAtResetPotentialAndNeverSpikesWithoutInput() {
        NeuronResponse r = engine.simulate(spikesAt(500, 0, 0, 0));

        assertThat(r.somaMv()).hasSize(500).containsOnly(-75f);
        assertThat(r.spikeTimesMs()).isEmpty();
    }

    @Test
    void singleExcitatoryInputJumpsTwoMillivoltsThenDecaysWithTwentyMillisecondTimeConstant() {
        NeuronResponse r = engine.simulate(spikesAt(200, 10, 0, 1));
        float[] v = r.somaMv();

        assertThat(v[9]).isEqualTo(-75f);
        assertThat((double) v[10]).isCloseTo(-73.0, within(1e-5));
        for (int k = 1; k < 150; k++) {
            assertThat((double) v[10 + k]).as("bin %d", 10 + k).isCloseTo(-75.0 + 2.0 * Math.exp(-k / 20.0), within(1e-5));
        }
        // One time constant later the PSP is down to 1/e.
        assertThat((v[30] + 75.0) / (v[10] + 75.0)).isCloseTo(Math.exp(-1.0), within(1e-5));
        assertThat(r.spikeTimesMs()).isEmpty();
    }

    @Test
    void inhibitoryInputHyperpolarisesBelowRest() {
        NeuronResponse r = engine.simulate(spikesAt(100, 5, 80, 3));

        assertThat((double) r.somaMv()[5]).isCloseTo(-81.0, within(1e-5));
        assertThat((double) r.somaMv()[25]).isCloseTo(-75.0 - 6.0 * Math.exp(-1.0), within(1e-5));
    }

    @Test
    void excitatoryBurstReachingThresholdSpikesAndResetsToMinus75() {
        // Ten coincident excitatory inputs: 10 x 2 mV = 20 mV, exactly from -75 to the -55 mV threshold.
        NeuronResponse r = engine.simulate(spikesAt(100, 40, 0, 10));

        assertThat(r.spikeTimesMs()).containsExactly(40.0);
        assertThat((double) r.somaMv()[40]).as("voltage of the spike bin, before the reset").isCloseTo(-55.0, within(1e-5));
        assertThat(r.somaMv()[41]).isEqualTo(-75f);
        assertThat(r.somaMv()[99]).isEqualTo(-75f);
    }

    @Test
    void burstJustBelowThresholdDoesNotSpike() {
        NeuronResponse r = engine.simulate(spikesAt(100, 40, 0, 9));

        assertThat(r.spikeTimesMs()).isEmpty();
        assertThat((double) r.somaMv()[40]).isCloseTo(-57.0, within(1e-5));
    }

    @Test
    void inhibitionCancelsCoincidentExcitation() {
        int[][] bins = new int[100][];
        for (int s = 0; s < 100; s++) {
            bins[s] = (s < 12 || s >= 80 && s < 84) ? new int[]{7} : new int[0];
        }
        NeuronResponse r = engine.simulate(new SynapticInput(80, 20, 50, bins));

        assertThat(r.spikeTimesMs()).isEmpty();
        assertThat((double) r.somaMv()[7]).isCloseTo(-75.0 + 2.0 * (12 - 4), within(1e-5));
    }

    @Test
    void rejectsInputWithTheWrongNumberOfSynapses() {
        SynapticInput wrong = new SynapticInput(10, 10, 100, new int[20][0]);

        assertThatThrownBy(() -> engine.simulate(wrong)).hasMessageContaining("80 excitatory and 20 inhibitory");
    }

    @Test
    void rejectsSpikesOutsideTheSimulatedTime() {
        assertThatThrownBy(() -> engine.simulate(spikesAt(100, 100, 0, 1))).hasMessageContaining("outside [0, 100)");
    }

    /** Not a benchmark harness: prints the single-thread throughput so a regression is visible in the log. */
    @Test
    void simulatesFarFasterThanRealTimeOnOneThread() {
        RandomInputGenerator generator = new RandomInputGenerator(InputRanges.PAPER_IAF);
        SynapticInput[] inputs = new SynapticInput[40];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = generator.generate(80, 20, 6000, 1000 + i).spikes();
        }
        long genStart = System.nanoTime();
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = generator.generate(80, 20, 6000, 2000 + i).spikes();
        }
        double genSeconds = (System.nanoTime() - genStart) / 1e9;
        System.out.printf("input generator throughput, one thread: %.3g simulated ms per second%n",
                inputs.length * 6000.0 / genSeconds);
        for (int warmup = 0; warmup < 50; warmup++) {
            engine.simulate(inputs[warmup % inputs.length]);
        }
        long start = System.nanoTime();
        int runs = 500;
        for (int i = 0; i < runs; i++) {
            engine.simulate(inputs[i % inputs.length]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double msPerSecond = runs * 6000.0 / seconds;
        System.out.printf("I&F engine throughput, one thread: %.3g simulated ms per second%n", msPerSecond);

        assertThat(msPerSecond).isGreaterThan(100_000.0);
    }
}

package io.neurosurrogate.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The population's bookkeeping, against a server that speaks the Stream protocol with a transparent "model": a
 * neuron fires in a bin exactly when synapse 0 got an input spike in that bin, and its "voltage" is the number of input
 * spikes it got in that bin over all synapses. So every output tells where the SDK put each input: neuron, synapse,
 * time, across intervals, request splits and streams. (That real surrogates give the window's outputs when stepped is
 * checked end to end, in e2e's PipelineEndToEndTest.)
 */
class SurrogatePopulationTest {
    private static final int SYNAPSES = 5;
    private static final int MAX_SEQUENCES = 3;

    private EchoStreamServer server;

    @BeforeEach
    void start() throws IOException {
        server = EchoStreamServer.start(SYNAPSES, MAX_SEQUENCES);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private SurrogatePopulation population(int neurons, int maxSteps) {
        return SurrogatePopulation.open(server::openStream, neurons,
                new SurrogatePopulation.Options().recordVoltage(true).maxStepsPerRequest(maxSteps));
    }

    @Test
    void outputsLandOnTheRightNeuronAndBinAcrossIntervalsSplitsAndStreams() {
        int neurons = 7; // 3 streams of at most 3 sequences
        Random rng = new Random(7);
        List<SurrogatePopulation.InputSpike> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(new SurrogatePopulation.InputSpike(rng.nextInt(neurons), rng.nextInt(SYNAPSES), rng.nextInt(60)));
        }
        Set<SurrogatePopulation.OutputSpike> expected = new HashSet<>();
        int[][] counts = new int[neurons][60];
        Set<String> distinct = new HashSet<>();
        for (SurrogatePopulation.InputSpike s : all) {
            if (distinct.add(s.neuron() + "/" + s.synapse() + "/" + s.timeMs())) {
                counts[s.neuron()][s.timeMs()]++; // a repeated (neuron, synapse, bin) counts once
            }
            if (s.synapse() == 0) {
                expected.add(new SurrogatePopulation.OutputSpike(s.neuron(), s.timeMs()));
            }
        }

        Set<SurrogatePopulation.OutputSpike> got = new HashSet<>();
        try (SurrogatePopulation p = population(neurons, 4)) {
            assertThat(p.streams()).isEqualTo(3);
            assertThat(p.synapses()).isEqualTo(SYNAPSES);
            int[] ends = {5, 6, 17, 17, 40, 60};
            for (int end : ends) {
                int from = p.timeMs();
                List<SurrogatePopulation.InputSpike> in = all.stream().filter(s -> s.timeMs() >= from && s.timeMs() < end).toList();
                SurrogatePopulation.Interval out = p.advance(end, in);
                assertThat(out.fromMs()).isEqualTo(from);
                assertThat(out.toMs()).isEqualTo(end);
                assertThat(out.spikes()).allSatisfy(s -> assertThat(s.timeMs()).isBetween(from, end - 1));
                assertThat(out.spikes()).isSortedAccordingTo(java.util.Comparator.comparingInt(SurrogatePopulation.OutputSpike::timeMs)
                        .thenComparingInt(SurrogatePopulation.OutputSpike::neuron));
                got.addAll(out.spikes());
                for (int n = 0; n < neurons; n++) {
                    for (int t = from; t < end; t++) {
                        assertThat(out.somaMv()[n][t - from]).as("neuron %d bin %d", n, t).isEqualTo((float) counts[n][t]);
                    }
                }
            }
            assertThat(p.timeMs()).isEqualTo(60);
        }
        assertThat(got).isEqualTo(expected);
        // One message per stream per request-sized piece, carrying all of that stream's neurons.
        assertThat(server.steps()).allSatisfy(s -> assertThat(s.getSequenceIdsCount()).isIn(3, 1));
        assertThat(server.steps()).allSatisfy(s -> assertThat(s.getSteps()).isBetween(1, 4));
        // in the packed wire form (a few bytes per spike), not a message per synapse
        assertThat(server.steps()).allSatisfy(s -> assertThat(s.getInputsCount()).isZero());
        assertThat(server.steps()).anySatisfy(s -> assertThat(s.getPacked().getSynapseDeltas().size()).isPositive());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        try (SurrogatePopulation p = population(2, 1000)) {
            p.advance(10);
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(0, SYNAPSES, 12))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synapse 5");
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(2, 0, 12))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neuron 2");
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(0, 0, 9))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the interval [10, 20)");
            assertThatThrownBy(() -> p.advance(5)).isInstanceOf(IllegalArgumentException.class);
            assertThat(p.timeMs()).isEqualTo(10);
            assertThat(p.advance(10).spikes()).isEmpty();
        }
        assertThatThrownBy(() -> population(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.neurosurrogate.simulator.input;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.engine.IntegrateAndFireEngine;
import io.neurosurrogate.simulator.engine.NeuronResponse;
import io.neurosurrogate.simulator.engine.SynapticInput;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RandomInputGeneratorTest {
    private static final int DURATION = 6000;
    private final RandomInputGenerator generator = new RandomInputGenerator(InputRanges.PAPER_IAF);

    private static long spikes(SynapticInput input, int from, int to) {
        long n = 0;
        for (int s = from; s < to; s++) {
            n += input.spikeBins(s).length;
        }
        return n;
    }

    private static double per100ms(long spikes, int durationMs) {
        return spikes * 100.0 / durationMs;
    }

    @Test
    void totalRatesStayInsideThePapersRangesAndInhibitionIsBelowExcitationOnAverage() {
        double excSum = 0;
        double inhSum = 0;
        int sims = 60;
        for (int i = 0; i < sims; i++) {
            GeneratedInput g = generator.generate(80, 20, DURATION, SimulationSeeds.forSimulation(7, i));
            double exc = per100ms(spikes(g.spikes(), 0, 80), DURATION);
            double inh = per100ms(spikes(g.spikes(), 80, 100), DURATION);
            // A whole-simulation average of U[0, 50] hold values (plus Bernoulli noise).
            assertThat(exc).as("exc spikes per 100 ms, sim %d", i).isBetween(3.0, 47.0);
            assertThat(inh).as("inh spikes per 100 ms, sim %d", i).isBetween(0.0, 35.0);
            assertThat(Double.parseDouble(g.parameters().get("input.hold_ms_base"))).isBetween(25.0, 100.0);
            assertThat(Double.parseDouble(g.parameters().get("input.smoothing_sigma_ms"))).isBetween(20.0, 120.0);
            excSum += exc;
            inhSum += inh;
        }
        double excMean = excSum / sims;
        double inhMean = inhSum / sims;
        // E[exc] = 25 per 100 ms; E[max(0, exc + U[-50, -15])] is about 2.6 per 100 ms.
        assertThat(excMean).isCloseTo(25.0, within(3.0));
        assertThat(inhMean).isBetween(0.5, 6.0).isLessThan(excMean);
    }

    @Test
    void intervalSmoothingEqualsADirectGaussianConvolutionWithRenormalisedEdges() {
        int n = 700;
        int[] starts = {0, 13, 90, 91, 300, 555, n};
        double[] rate = {0.1, 0.45, 0.0, 0.3, 0.05, 0.2};
        double sigma = 37.5;
        double[] fast = RandomInputGenerator.smooth(starts, rate, rate.length, n, RandomInputGenerator.cumulativeGaussian(sigma));

        int radius = (int) Math.ceil(4 * sigma);
        for (int t = 0; t < n; t++) {
            double sum = 0;
            double weight = 0;
            for (int x = Math.max(0, t - radius); x <= Math.min(n - 1, t + radius); x++) {
                int j = 0;
                while (starts[j + 1] <= x) {
                    j++;
                }
                double w = Math.exp(-(double) (x - t) * (x - t) / (2 * sigma * sigma));
                sum += w * rate[j];
                weight += w;
            }
            assertThat(fast[t]).as("bin %d", t).isCloseTo(sum / weight, within(1e-12));
        }
        // A constant rate stays constant up to the edges.
        double[] flat = RandomInputGenerator.smooth(new int[]{0, 50, 100}, new double[]{0.2, 0.2}, 2, 100,
                RandomInputGenerator.cumulativeGaussian(60));
        for (double v : flat) {
            assertThat(v).isCloseTo(0.2, within(1e-12));
        }
    }

    @Test
    void holdIntervalsFollowTheBaseLengthWithJitter() {
        for (int i = 0; i < 30; i++) {
            GeneratedInput g = generator.generate(80, 20, DURATION, i);
            double base = Double.parseDouble(g.parameters().get("input.hold_ms_base"));
            int intervals = Integer.parseInt(g.parameters().get("input.hold_intervals"));
            double meanLength = (double) DURATION / intervals;
            assertThat(meanLength).as("sim %d", i).isCloseTo(base, within(10.0));
        }
    }

    @Test
    void overridesChangeTheRates() {
        InputRanges quiet = InputRanges.PAPER_IAF.overriddenBy(InputStatistics.newBuilder().setExcPer100MsMax(10).build());
        RandomInputGenerator quietGenerator = new RandomInputGenerator(quiet);
        long exc = 0;
        for (int i = 0; i < 30; i++) {
            exc += spikes(quietGenerator.generate(80, 20, DURATION, i).spikes(), 0, 80);
        }
        assertThat(per100ms(exc, 30 * DURATION)).isCloseTo(5.0, within(1.0));
    }

    @Test
    void rejectsInvertedRanges() {
        InputStatistics inverted = InputStatistics.newBuilder().setHoldMsMin(200).setHoldMsMax(50).build();

        assertThatThrownBy(() -> InputRanges.PAPER_IAF.overriddenBy(inverted))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("input.hold_ms_min");
        assertThatThrownBy(() -> InputRanges.PAPER_IAF.overriddenBy(InputStatistics.newBuilder().setExcPer100MsMax(-1).build()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("input.exc_per_100ms_max");
    }

    @Test
    void sameSeedGivesIdenticalSpikesAndDifferentSeedsDiffer() {
        SynapticInput a = generator.generate(80, 20, DURATION, 42).spikes();
        SynapticInput b = generator.generate(80, 20, DURATION, 42).spikes();
        SynapticInput c = generator.generate(80, 20, DURATION, 43).spikes();

        assertThat(a.spikeBins()).isDeepEqualTo(b.spikeBins());
        assertThat(java.util.Arrays.deepEquals(a.spikeBins(), c.spikeBins())).isFalse();
    }

    @Test
    void spikeBinsAreSortedUniqueAndInsideTheSimulation() {
        SynapticInput input = generator.generate(80, 20, DURATION, 5).spikes();
        for (int s = 0; s < input.synapses(); s++) {
            int[] bins = input.spikeBins(s);
            for (int i = 0; i < bins.length; i++) {
                assertThat(bins[i]).isBetween(0, DURATION - 1);
                if (i > 0) {
                    assertThat(bins[i]).isGreaterThan(bins[i - 1]);
                }
            }
        }
    }

    @Test
    void simulationSeedsOfACampaignAreDistinctAndReproducible() {
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seeds.add(SimulationSeeds.forSimulation(1, i));
        }
        assertThat(seeds).hasSize(10_000);
        assertThat(SimulationSeeds.forSimulation(1, 3)).isEqualTo(SimulationSeeds.forSimulation(1, 3))
                .isNotEqualTo(SimulationSeeds.forSimulation(2, 3));
    }

    /** The paper reports about 1 Hz for its I&F neuron under this input; prints what we get. */
    @Test
    void integrateAndFireFiresAtAFewHertzOnAverageUnderThePapersInput() {
        IntegrateAndFireEngine engine = new IntegrateAndFireEngine();
        long outputSpikes = 0;
        int sims = 100;
        int silent = 0;
        for (int i = 0; i < sims; i++) {
            NeuronResponse r = engine.simulate(generator.generate(80, 20, DURATION, SimulationSeeds.forSimulation(11, i)).spikes());
            outputSpikes += r.spikeTimesMs().length;
            if (r.spikeTimesMs().length == 0) {
                silent++;
            }
        }
        double rateHz = outputSpikes / (sims * DURATION / 1000.0);
        System.out.printf("I&F mean output rate under the paper's input: %.2f Hz (%d of %d simulations silent)%n",
                rateHz, silent, sims);

        assertThat(rateHz).isBetween(0.2, 5.0);
    }
}

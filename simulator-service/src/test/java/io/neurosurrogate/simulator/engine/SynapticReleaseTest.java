package io.neurosurrogate.simulator.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SynapticReleaseTest {

    private static SynapticInput input(int nExc, int nInh, int spikesPerSynapse) {
        int[][] bins = new int[nExc + nInh][];
        for (int s = 0; s < bins.length; s++) {
            int offset = s;
            bins[s] = IntStream.range(0, spikesPerSynapse).map(i -> (i * 7 + offset) % 5000).sorted().distinct().toArray();
        }
        return new SynapticInput(nExc, nInh, 5000, bins);
    }

    @Test
    void everySpikeReleasesByDefault() {
        SynapticInput in = input(10, 10, 100);
        assertThat(SynapticRelease.ALL.released(in)).isSameAs(in.spikeBins());
    }

    @Test
    void eachKindReleasesWithItsProbabilityDeterministically() {
        SynapticInput in = input(200, 200, 500);
        SynapticRelease paper = new SynapticRelease(1.0, 1 - Math.exp(-1));
        int[][] a = paper.released(in);
        int[][] b = paper.released(in);
        assertThat(a).isDeepEqualTo(b);
        long exc = 0;
        long inh = 0;
        long inhTotal = 0;
        for (int s = 0; s < 400; s++) {
            assertThat(in.spikeBins(s)).contains(a[s]);
            assertThat(a[s]).isSorted();
            if (s < 200) {
                exc += a[s].length;
                assertThat(a[s]).isEqualTo(in.spikeBins(s));
            } else {
                inh += a[s].length;
                inhTotal += in.spikeBins(s).length;
            }
        }
        assertThat(exc).isEqualTo(200L * in.spikeBins(0).length);
        assertThat((double) inh / inhTotal).isCloseTo(0.632, org.assertj.core.data.Offset.offset(0.01));
        assertThat(in.spikeBins(300)).hasSize(500); // the input itself is untouched
    }

    @Test
    void probabilitiesOutsideTheUnitIntervalAreRefused() {
        assertThatThrownBy(() -> new SynapticRelease(1.2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SynapticRelease(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

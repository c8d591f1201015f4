package io.neurosurrogate.simulator.input;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.engine.SynapticInput;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class L5pcInputGeneratorTest {
    private static final int DURATION = 6000;
    private static final int BASAL = 262;
    private static final int APICAL = 377;
    private static final int[] TREE = new int[BASAL + APICAL];
    private static final double[] LENGTH = new double[BASAL + APICAL];

    static {
        // The paper's grouping: all basal segments one tree (0), the apical tree the other (1).
        SplittableRandom r = new SplittableRandom(42);
        for (int s = 0; s < TREE.length; s++) {
            TREE[s] = s < BASAL ? 0 : 1;
            LENGTH[s] = 2.0 + 38.0 * r.nextDouble();
        }
    }

    /** Paper NMDA ranges but with holds and sigma chosen so each test simulation is cheap. */
    private static final L5pcInputRanges QUICK = new L5pcInputRanges(800, -600, 200, 150, 450, 25, 40, 20, 10);

    private static long excSpikes(SynapticInput in, int[] segments) {
        long n = 0;
        for (int s : segments) {
            n += in.spikeBins(s).length;
        }
        return n;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    @Test
    void sameSeedGivesTheSameInputAndDifferentSeedsDiffer() {
        for (InputVariant v : InputVariant.values()) {
            L5pcInputGenerator g = new L5pcInputGenerator(v);
            GeneratedInput a = g.generate(TREE, LENGTH, 2000, 11);
            GeneratedInput b = g.generate(TREE, LENGTH, 2000, 11);
            GeneratedInput c = g.generate(TREE, LENGTH, 2000, 12);
            for (int s = 0; s < a.spikes().synapses(); s++) {
                assertArrayEquals(a.spikes().spikeBins(s), b.spikes().spikeBins(s), v + " synapse " + s);
            }
            assertEquals(a.parameters(), b.parameters());
            assertFalse(Arrays.deepEquals(a.spikes().spikeBins(), c.spikes().spikeBins()), v.name());
            assertNotEquals(a.parameters(), c.parameters());
            assertEquals(v.generatorName(), a.parameters().get("input.generator"));
        }
    }

    @Test
    void everyBinListIsSortedUniqueAndInRange() {
        for (InputVariant v : InputVariant.values()) {
            for (long seed = 0; seed < 3; seed++) {
                SynapticInput in = new L5pcInputGenerator(v, QUICK, OodShape.DEFAULT).generate(TREE, LENGTH, DURATION, seed).spikes();
                assertEquals(639, in.nExc());
                assertEquals(639, in.nInh());
                assertEquals(DURATION, in.durationMs());
                long total = 0;
                for (int s = 0; s < in.synapses(); s++) {
                    int[] b = in.spikeBins(s);
                    for (int i = 0; i < b.length; i++) {
                        assertTrue(b[i] >= 0 && b[i] < DURATION, "bin in range");
                        assertTrue(i == 0 || b[i] > b[i - 1], "strictly increasing");
                    }
                    total += b.length;
                }
                assertTrue(total > 1000, v + " seed " + seed + " produced " + total + " spikes");
            }
        }
    }

    @Test
    void heldTreeTotalsFollowThePapersDistributions() {
        // E[U[0, 800]] = 400 per 100 ms; E[U[max(0, e - 600), e + 200]] over e ~ U[0, 800] = 312.5.
        L5pcInputGenerator g = new L5pcInputGenerator(InputVariant.NMDA, new L5pcInputRanges(800, -600, 200, 25, 450, 25, 600, 20, 10), OodShape.DEFAULT);
        double exc = 0;
        double inh = 0;
        int n = 0;
        for (long seed = 0; seed < 60; seed++) {
            L5pcInputGenerator.Plan p = g.plan(TREE, LENGTH, DURATION, seed);
            assertTrue(p.holdMs >= 5 && p.holdMs <= 470, "hold " + p.holdMs);
            assertTrue(p.sigmaMs >= 5 && p.sigmaMs <= 620, "sigma " + p.sigmaMs);
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < p.intervals; j++) {
                    double e = p.excTotal[k][j] * 100;
                    double i = p.inhTotal[k][j] * 100;
                    assertTrue(e >= 0 && e <= 800);
                    assertTrue(i >= Math.max(0, e - 600) - 1e-9 && i <= e + 200 + 1e-9, "inh " + i + " for exc " + e);
                    exc += e;
                    inh += i;
                    n++;
                }
            }
        }
        assertTrue(n > 2000, "intervals drawn: " + n);
        // sd of a U[0, 800] mean over n draws is 231 / sqrt(n) < 5.2; allow about 3 sd.
        assertEquals(400.0, exc / n, 15.0);
        assertEquals(312.5, inh / n, 15.0);
    }

    @Test
    void spreadingKeepsEachTreesTotalInEveryInterval() {
        L5pcInputGenerator.Plan p = new L5pcInputGenerator(InputVariant.NMDA).plan(TREE, LENGTH, DURATION, 5);
        for (int j = 0; j < p.intervals; j++) {
            double[] exc = new double[2];
            double[] inh = new double[2];
            for (int s = 0; s < TREE.length; s++) {
                exc[TREE[s]] += p.excRate[s * p.intervals + j];
                inh[TREE[s]] += p.inhRate[s * p.intervals + j];
            }
            for (int k = 0; k < 2; k++) {
                assertEquals(p.excTotal[k][j], exc[k], 1e-12 * (1 + exc[k]));
                assertEquals(p.inhTotal[k][j], inh[k], 1e-12 * (1 + inh[k]));
            }
        }
    }

    @Test
    void spikeCountsPerTreeMatchTheDrawnRates() {
        L5pcInputGenerator g = new L5pcInputGenerator(InputVariant.NMDA, QUICK, OodShape.DEFAULT);
        int[][] trees = {range(0, BASAL), range(BASAL, BASAL + APICAL)};
        for (long seed = 20; seed < 24; seed++) {
            L5pcInputGenerator.Plan p = g.plan(TREE, LENGTH, DURATION, seed);
            GeneratedInput generated = g.generate(TREE, LENGTH, DURATION, seed);
            SynapticInput in = generated.spikes();
            for (int k = 0; k < 2; k++) {
                double expectedExc = sum(p.expectedExcPerBin(k));
                double expectedInh = sum(p.smoother.smooth(p.inhTotal[k]));
                long exc = excSpikes(in, trees[k]);
                int[] inhSyn = Arrays.stream(trees[k]).map(s -> s + TREE.length).toArray();
                long inh = excSpikes(in, inhSyn);
                // Sum of Bernoulli counts: variance below the mean; 5 sd.
                assertEquals(expectedExc, exc, 5 * Math.sqrt(expectedExc) + 1, "exc tree " + k + " seed " + seed);
                assertEquals(expectedInh, inh, 5 * Math.sqrt(expectedInh) + 1, "inh tree " + k + " seed " + seed);
                // The reported held (unsmoothed) means: smoothing with sigma <= 60 ms moves them by a few % at most.
                double heldExc = Double.parseDouble(generated.parameters().get("input.tree" + k + ".mean_exc_per_100ms")) * DURATION / 100;
                double heldInh = Double.parseDouble(generated.parameters().get("input.tree" + k + ".mean_inh_per_100ms")) * DURATION / 100;
                assertEquals(heldExc, exc, 0.05 * heldExc + 5 * Math.sqrt(heldExc), "held exc tree " + k + " seed " + seed);
                assertEquals(heldInh, inh, 0.05 * heldInh + 5 * Math.sqrt(heldInh), "held inh tree " + k + " seed " + seed);
            }
        }
    }

    @Test
    void longerSegmentsGetProportionallyMoreInput() {
        // 5 um and 95 um segments: weights (5 + 10) : (95 + 10) = 1 : 7.
        int n = 200;
        int[] tree = new int[n];
        double[] length = new double[n];
        for (int s = 0; s < n; s++) {
            length[s] = s % 2 == 0 ? 5.0 : 95.0;
        }
        L5pcInputRanges r = new L5pcInputRanges(1000, -600, 200, 450, 450, 25, 25, 0, 10);
        SynapticInput in = new L5pcInputGenerator(InputVariant.NMDA, r, OodShape.DEFAULT).generate(tree, length, DURATION, 3).spikes();
        long shortSeg = 0;
        long longSeg = 0;
        for (int s = 0; s < n; s++) {
            if (s % 2 == 0) {
                shortSeg += in.spikeBins(s).length;
            } else {
                longSeg += in.spikeBins(s).length;
            }
        }
        assertTrue(shortSeg > 1000, "short-segment spikes " + shortSeg);
        assertEquals(7.0, (double) longSeg / shortSeg, 0.6);
    }

    @Test
    void inhibitionIsFlooredAtZero() {
        // Inhibition = excitation + [-600, -500] with at most 400 excitatory: always below 0, so none.
        L5pcInputRanges r = new L5pcInputRanges(400, -600, -500, 150, 450, 25, 40, 20, 10);
        L5pcInputGenerator g = new L5pcInputGenerator(InputVariant.NMDA, r, OodShape.DEFAULT);
        L5pcInputGenerator.Plan p = g.plan(TREE, LENGTH, DURATION, 8);
        for (double[] tree : p.inhTotal) {
            for (double v : tree) {
                assertEquals(0.0, v);
            }
        }
        SynapticInput in = g.generate(TREE, LENGTH, DURATION, 8).spikes();
        assertEquals(0, excSpikes(in, range(TREE.length, 2 * TREE.length)));
        assertTrue(excSpikes(in, range(0, TREE.length)) > 1000);
    }

    @Test
    void outOfDistributionInputHasNoInhibitionAndIsSinusoidallyModulated() {
        // One hold interval and almost no smoothing: the only temporal structure left is the sinusoid.
        L5pcInputRanges flat = new L5pcInputRanges(800, -600, 200, DURATION, DURATION, 1, 1, 0, 10);
        OodShape sevenHz = new OodShape(1, 3, 5, 15, 0.9, 0.8, 0.8, 7, 7);
        for (long seed = 1; seed <= 3; seed++) {
            GeneratedInput ood = new L5pcInputGenerator(InputVariant.OOD, flat, sevenHz).generate(TREE, LENGTH, DURATION, seed);
            GeneratedInput nmda = new L5pcInputGenerator(InputVariant.NMDA, flat, sevenHz).generate(TREE, LENGTH, DURATION, seed);
            SynapticInput in = ood.spikes();
            assertEquals(0, excSpikes(in, range(TREE.length, 2 * TREE.length)), "OOD has no inhibitory spikes");
            assertEquals("7.0", ood.parameters().get("input.ood.hz"));
            double phase = Double.parseDouble(ood.parameters().get("input.ood.phase_rad"));
            double[] inPhase = projection(in, 7.0, phase);
            double[] control = projection(nmda.spikes(), 7.0, phase);
            assertTrue(inPhase[0] > 1.0, "mean exc spikes per ms " + inPhase[0]);
            // n(t) = m (1 + 0.8 sin(w t + phi)): sine coefficient / mean = 0.8, cosine one 0.
            assertEquals(0.8, inPhase[1] / inPhase[0], 0.1, "seed " + seed);
            assertEquals(0.0, inPhase[2] / inPhase[0], 0.1, "seed " + seed);
            assertEquals(0.0, control[1] / control[0], 0.1, "unmodulated control, seed " + seed);
        }
    }

    /** {mean, (2/T) sum n sin(wt + phi), (2/T) sum n cos(wt + phi)} of the excitatory spike count per bin. */
    private static double[] projection(SynapticInput in, double hz, double phase) {
        double[] n = new double[in.durationMs()];
        for (int s = 0; s < in.nExc(); s++) {
            for (int b : in.spikeBins(s)) {
                n[b]++;
            }
        }
        double mean = 0;
        double sin = 0;
        double cos = 0;
        for (int t = 0; t < n.length; t++) {
            double arg = 2 * Math.PI * hz * t / 1000.0 + phase;
            mean += n[t];
            sin += n[t] * Math.sin(arg);
            cos += n[t] * Math.cos(arg);
        }
        return new double[] {mean / n.length, 2 * sin / n.length, 2 * cos / n.length};
    }

    @Test
    void outOfDistributionExcitationIsConcentratedOnFewClusteredSegments() {
        L5pcInputGenerator ood = new L5pcInputGenerator(InputVariant.OOD, QUICK, OodShape.DEFAULT);
        L5pcInputGenerator nmda = new L5pcInputGenerator(InputVariant.NMDA, QUICK, OodShape.DEFAULT);
        for (long seed = 30; seed < 33; seed++) {
            L5pcInputGenerator.Plan p = ood.plan(TREE, LENGTH, DURATION, seed);
            int members = 0;
            for (boolean b : p.clustered) {
                members += b ? 1 : 0;
            }
            // At most 3 clusters of 15 segments per tree.
            assertTrue(members >= 5 && members <= 90, "cluster segments " + members);
            SynapticInput in = ood.generate(TREE, LENGTH, DURATION, seed).spikes();
            long onClusters = 0;
            for (int s = 0; s < TREE.length; s++) {
                onClusters += p.clustered[s] ? in.spikeBins(s).length : 0;
            }
            long all = excSpikes(in, range(0, TREE.length));
            assertTrue(onClusters > 0.88 * all, "clustered share " + (double) onClusters / all);
            assertTrue(topShare(in, 90) > 0.88, "OOD: top 90 segments");
            assertTrue(topShare(nmda.generate(TREE, LENGTH, DURATION, seed).spikes(), 90) < 0.3, "NMDA: top 90 segments");
            assertTrue(p.clusterRuns.matches("\\d+-\\d+(,\\d+-\\d+)*"), p.clusterRuns);
        }
    }

    /** Share of all excitatory spikes on the {@code k} excitatory synapses with the most. */
    private static double topShare(SynapticInput in, int k) {
        long[] counts = new long[in.nExc()];
        long all = 0;
        for (int s = 0; s < in.nExc(); s++) {
            counts[s] = in.spikeBins(s).length;
            all += counts[s];
        }
        Arrays.sort(counts);
        long top = 0;
        for (int i = counts.length - k; i < counts.length; i++) {
            top += counts[i];
        }
        return (double) top / all;
    }

    @Test
    void smoothingEqualsADirectRenormalisedGaussianConvolution() {
        int hold = 7;
        int n = 300;
        double sigma = 9.3;
        HeldRateSmoother smoother = new HeldRateSmoother(hold, n, sigma);
        assertEquals(43, smoother.intervals());
        double[] held = new double[smoother.intervals()];
        SplittableRandom r = new SplittableRandom(1);
        for (int j = 0; j < held.length; j++) {
            held[j] = r.nextDouble() * 5;
        }
        double[] got = smoother.smooth(held);
        int radius = (int) Math.ceil(4 * sigma);
        for (int t = 0; t < n; t++) {
            double num = 0;
            double den = 0;
            for (int u = Math.max(0, t - radius); u <= Math.min(n - 1, t + radius); u++) {
                double k = Math.exp(-(u - t) * (u - t) / (2 * sigma * sigma));
                num += k * held[u / hold];
                den += k;
            }
            assertEquals(num / den, got[t], 1e-12, "bin " + t);
        }
    }

    @Test
    void holdAndSigmaComeFromThePapersGridsUnlessTheRangeHasNone() {
        SplittableRandom r = new SplittableRandom(9);
        int[] hits = new int[L5pcInputRanges.HOLD_GRID_MS.length];
        for (int i = 0; i < 18000; i++) {
            double v = L5pcInputGenerator.fromGridOrUniform(r, L5pcInputRanges.HOLD_GRID_MS, 25, 450);
            int idx = Arrays.binarySearch(L5pcInputRanges.HOLD_GRID_MS, v);
            assertTrue(idx >= 0, "off-grid value " + v);
            hits[idx]++;
        }
        for (int h : hits) {
            assertEquals(1000, h, 150); // 18 options equally likely; sd about 31
        }
        assertEquals(40.0, L5pcInputGenerator.fromGridOrUniform(r, L5pcInputRanges.SIGMA_GRID_MS, 36, 45));
        for (int i = 0; i < 100; i++) {
            double v = L5pcInputGenerator.fromGridOrUniform(r, L5pcInputRanges.HOLD_GRID_MS, 26, 29);
            assertTrue(v >= 26 && v <= 29, "uniform fallback " + v);
        }
    }

    @Test
    void variantsHaveThePapersDefaults() {
        assertEquals(800, InputVariant.NMDA.defaultRanges().excPer100msMax());
        assertEquals(-600, InputVariant.NMDA.defaultRanges().inhDeltaMin());
        assertEquals(75, InputVariant.NMDA.defaultRanges().inhDeltaMax());
        assertEquals(1900, InputVariant.AMPA.defaultRanges().excPer100msMax());
        assertEquals(-1650, InputVariant.AMPA.defaultRanges().inhDeltaMin());
        assertEquals(0, InputVariant.AMPA.defaultRanges().inhDeltaMax());
        assertEquals(InputVariant.NMDA.defaultRanges(), InputVariant.OOD.defaultRanges());
        assertFalse(InputVariant.OOD.hasInhibition());
    }

    @Test
    void overridesReplaceOnlyTheNonZeroFields() {
        L5pcInputRanges r = L5pcInputRanges.PAPER_NMDA.overriddenBy(InputStatistics.newBuilder()
                .setExcPer100MsMax(500).setHoldMsMax(200).setSmoothingSigmaMsMin(30).build());
        assertEquals(new L5pcInputRanges(500, -600, 75, 25, 200, 30, 600, 20, 10), r);
        assertEquals(L5pcInputRanges.PAPER_AMPA, L5pcInputRanges.PAPER_AMPA.overriddenBy(InputStatistics.getDefaultInstance()));
    }

    @Test
    void badRangesAreRejected() {
        assertThrows(DomainException.class, () -> new L5pcInputRanges(-1, -600, 200, 25, 450, 25, 600, 20, 10));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(800, 300, 200, 25, 450, 25, 600, 20, 10));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(800, -600, 200, 0, 450, 25, 600, 20, 10));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(800, -600, 200, 25, 450, 700, 600, 20, 10));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(800, -600, 200, 25, 450, 25, 600, -1, 10));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(800, -600, 200, 25, 450, 25, 600, 20, 0));
        assertThrows(DomainException.class, () -> new L5pcInputRanges(Double.NaN, -600, 200, 25, 450, 25, 600, 20, 10));
        DomainException e = assertThrows(DomainException.class, () -> L5pcInputRanges.PAPER_NMDA.overriddenBy(
                InputStatistics.newBuilder().setHoldMsMin(500).build()));
        assertEquals(DomainException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("input.hold_ms"), e.getMessage());
        assertThrows(DomainException.class, () -> new OodShape(0, 3, 5, 15, 0.9, 0.5, 1.0, 1, 20));
        assertThrows(DomainException.class, () -> new OodShape(1, 3, 5, 15, 1.1, 0.5, 1.0, 1, 20));
        assertThrows(DomainException.class, () -> new OodShape(1, 3, 5, 15, 0.9, 0.5, 1.5, 1, 20));
        assertThrows(DomainException.class, () -> new OodShape(1, 3, 15, 5, 0.9, 0.5, 1.0, 1, 20));
        assertThrows(DomainException.class, () -> new OodShape(1, 3, 5, 15, 0.9, 0.5, 1.0, 20, 1));
    }

    @Test
    void theBoundGeneratorCopiesItsLayoutAndReportsTheEffectiveRanges() {
        int[] tree = TREE.clone();
        double[] length = LENGTH.clone();
        L5pcBoundInputGenerator bound = L5pcBoundInputGenerator.of(InputVariant.AMPA,
                InputStatistics.newBuilder().setExcPer100MsMax(1500).build(), tree, length);
        GeneratedInput before = bound.generate(500, 4);
        Arrays.fill(tree, 0);
        Arrays.fill(length, 1000.0);
        GeneratedInput after = bound.generate(500, 4);
        assertTrue(Arrays.deepEquals(before.spikes().spikeBins(), after.spikes().spikeBins()));
        assertEquals("2", after.parameters().get("input.trees"));
        assertEquals(InputVariant.AMPA.generatorName(), after.parameters().get("input.generator"));
        InputStatistics stats = bound.effectiveStatistics();
        assertEquals(1500, stats.getExcPer100MsMax());
        assertEquals(-1650, stats.getInhDeltaMin());
        assertEquals(600, stats.getSmoothingSigmaMsMax());
        assertThrows(IllegalArgumentException.class, () -> new L5pcBoundInputGenerator(
                new L5pcInputGenerator(InputVariant.NMDA), new int[] {1}, new double[] {1}));
    }

    @Test
    void badLayoutsAreRejected() {
        L5pcInputGenerator g = new L5pcInputGenerator(InputVariant.NMDA);
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {0, 0}, new double[] {1}, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {0, 2}, new double[] {1, 1}, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {0, -1}, new double[] {1, 1}, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {0, 1}, new double[] {1, Double.NaN}, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {0, 1}, new double[] {1, 1}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[0], new double[0], 100, 1));
    }
}

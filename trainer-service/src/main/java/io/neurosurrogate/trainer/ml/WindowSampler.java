package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.trace.SimulationTrace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batches: windows of {@code windowMs} bins at random positions of random training
 * simulations, as [batch, synapses, window] inputs with per-bin spike and normalised-voltage labels,
 * and with the dendritic head a third label, the normalised apical nexus voltage (same mask).
 *
 * <p>Which bins count (label mask 1): a bin at simulation time t and window position p counts when
 * t >= skip_initial_ms and, unless the window starts at t = 0, p >= receptive field - 1. The causal
 * conv pads each window with zeros, so the first receptive-field-1 outputs of a window starting later
 * would see a fake silent history; those bins are masked rather than trained on. Window starts are
 * drawn from [max(0, skip - (rf - 1)), duration - window], so no window is wasted on masked bins only.
 */
final class WindowSampler {
    private final SimulationSource train;
    private final List<Integer> eligible = new ArrayList<>();
    private final VoltageNormalisation norm;
    private final NexusNormalisation nexusNorm;   // null without the dendritic head
    private final int synapses;
    private final int windowMs;
    private final int history;
    private final int skipInitialMs;
    private final int firstStart;
    private final long seed;
    private SplittableRandom random;

    WindowSampler(List<SimulationTrace> train, VoltageNormalisation norm, int windowMs, int receptiveFieldMs,
                  int skipInitialMs, long seed) {
        this(SimulationSource.of(train), norm, null, windowMs, receptiveFieldMs, skipInitialMs, seed);
    }

    WindowSampler(SimulationSource train, VoltageNormalisation norm, int windowMs, int receptiveFieldMs,
                  int skipInitialMs, long seed) {
        this(train, norm, null, windowMs, receptiveFieldMs, skipInitialMs, seed);
    }

    /**
     * Draws from {@code train} by metadata; a window's trace is fetched from the source when drawn
     * (the source decides what stays in memory), its targets derived from it then.
     *
     * @param nexusNorm the dendritic head's normalisation, or null without the head; with it, a
     *                  window drawn from a simulation without a nexus trace fails with INVALID_ARGUMENT
     */
    WindowSampler(SimulationSource train, VoltageNormalisation norm, NexusNormalisation nexusNorm, int windowMs,
                  int receptiveFieldMs, int skipInitialMs, long seed) {
        this.train = train;
        this.norm = norm;
        this.nexusNorm = nexusNorm;
        this.synapses = train.metadata(0).getNExc() + train.metadata(0).getNInh();
        this.windowMs = windowMs;
        this.history = receptiveFieldMs - 1;
        this.skipInitialMs = skipInitialMs;
        this.firstStart = Math.max(0, skipInitialMs - history);
        if (windowMs <= history) {
            throw DomainException.invalid("window_ms " + windowMs + " must exceed the receptive field " + receptiveFieldMs + " ms - 1");
        }
        int longest = 0;
        for (int i = 0; i < train.size(); i++) {
            longest = Math.max(longest, train.durationMs(i));
            if (train.durationMs(i) - windowMs >= firstStart) {
                eligible.add(i);
            }
        }
        if (eligible.isEmpty()) {
            throw DomainException.invalid("no training simulation is long enough for window_ms=" + windowMs
                    + " after skip_initial_ms=" + skipInitialMs + " (longest: " + longest + " ms)");
        }
        this.seed = seed;
        startEpoch(1);
    }

    /**
     * Each epoch draws its windows from its own stream, a function of the seed and the epoch only,
     * so a run resumed from a checkpoint after epoch e samples exactly what the uninterrupted run
     * would have.
     */
    void startEpoch(int epoch) {
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    }

    MultiDataSet next(int batch) {
        int w = windowMs;
        float[] x = new float[batch * synapses * w];
        float[] spike = new float[batch * w];
        float[] volt = new float[batch * w];
        float[] nexus = nexusNorm == null ? null : new float[batch * w];
        float[] mask = new float[batch * w];
        for (int b = 0; b < batch; b++) {
            SimulationTrace s = train.get(eligible.get(random.nextInt(eligible.size())));
            int start = firstStart + random.nextInt(s.durationMs() - w - firstStart + 1);
            s.denseInput(start, w, x, b * synapses * w);
            boolean[] labels = s.spikeLabels();
            for (int p = 0; p < w; p++) {
                spike[b * w + p] = labels[start + p] ? 1f : 0f;
            }
            System.arraycopy(norm.normalisedTargets(s), start, volt, b * w, w);
            if (nexusNorm != null) {
                nexusNorm.normalisedTargets(s, start, w, nexus, b * w);
            }
            for (int p = 0; p < w; p++) {
                boolean counts = start + p >= skipInitialMs && (start == 0 || p >= history);
                mask[b * w + p] = counts ? 1f : 0f;
            }
        }
        INDArray features = Nd4j.create(x, new long[]{batch, synapses, w}, 'c');
        INDArray labelsMask = Nd4j.create(mask, new long[]{batch, w}, 'c');
        INDArray spikeLabels = Nd4j.create(spike, new long[]{batch, 1, w}, 'c');
        INDArray voltLabels = Nd4j.create(volt, new long[]{batch, 1, w}, 'c');
        if (nexus == null) {
            return new MultiDataSet(new INDArray[]{features}, new INDArray[]{spikeLabels, voltLabels}, null,
                    new INDArray[]{labelsMask, labelsMask});
        }
        // One recorded site, so one channel; more sites would be more channels of this label.
        INDArray nexusLabels = Nd4j.create(nexus, new long[]{batch, 1, w}, 'c');
        return new MultiDataSet(new INDArray[]{features}, new INDArray[]{spikeLabels, voltLabels, nexusLabels}, null,
                new INDArray[]{labelsMask, labelsMask, labelsMask});
    }

    /** Bins that count in the loss of an average window (for reporting the loss per bin). */
    int countedBinsPerWindow() {
        return windowMs - history;
    }
}

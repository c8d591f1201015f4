package io.neurosurrogate.trainer.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Training batches with the statistics of real data, made ahead of time on their own thread so that
 * making them never holds up the measured training steps: a bounded queue of {@value #AHEAD} batches.
 *
 * <p>Layout as the trainer's window sampler: features [batch, synapses, window] float 0/1 (NCW),
 * labels spike [batch, 1, window] and normalised voltage [batch, 1, window], one label mask
 * [batch, window] shared by both outputs. Each window is treated as one that starts after t = 0, so
 * its first receptive-field - 1 bins (which would see zero-padded history) are masked out.
 *
 * <p>Statistics: input spikes Bernoulli per synapse per 1 ms bin; spike labels Bernoulli at
 * {@value #OUTPUT_SPIKE_PROBABILITY} per bin (output ~1 Hz, Beniaguev et al. 2021); voltage labels
 * N(0, 1), as the trainer normalises the soma voltage to zero mean and unit variance.
 */
final class SyntheticBatches implements AutoCloseable {
    static final int AHEAD = 2;
    static final double OUTPUT_SPIKE_PROBABILITY = 0.001;

    private final int batch;
    private final int synapses;
    private final int windowMs;
    private final int maskedBins;
    private final double inputSpikeProbability;
    private final SplittableRandom random;
    private final BlockingQueue<MultiDataSet> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread producer;
    private volatile Throwable failure;

    SyntheticBatches(int batch, int synapses, int windowMs, int receptiveFieldMs, double inputSpikeProbability, long seed) {
        if (!(inputSpikeProbability > 0 && inputSpikeProbability < 1)) {
            throw new IllegalArgumentException("input spike probability must be in (0, 1), got " + inputSpikeProbability);
        }
        if (windowMs < receptiveFieldMs) {
            throw new IllegalArgumentException("--window-ms " + windowMs + " must be at least the receptive field " + receptiveFieldMs + " ms");
        }
        this.batch = batch;
        this.synapses = synapses;
        this.windowMs = windowMs;
        this.maskedBins = receptiveFieldMs - 1;
        this.inputSpikeProbability = inputSpikeProbability;
        this.random = new SplittableRandom(seed);
        this.producer = new Thread(this::produce, "synthetic-batches");
        producer.setDaemon(true);
        producer.start();
    }

    /** Output bins per window that count in the loss: window - receptive field + 1. */
    int countedBinsPerWindow() {
        return windowMs - maskedBins;
    }

    /** The next batch; blocks only if the producer has fallen behind. */
    MultiDataSet next() throws InterruptedException {
        MultiDataSet b = queue.poll();
        while (b == null) {
            if (failure != null) {
                throw new IllegalStateException("making synthetic batches failed: " + failure, failure);
            }
            b = queue.poll(100, TimeUnit.MILLISECONDS);
        }
        return b;
    }

    private void produce() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                queue.put(make());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private MultiDataSet make() {
        int w = windowMs;
        float[] x = new float[batch * synapses * w];
        // Independent Bernoulli bins: jump from one spike to the next by a geometric gap instead of
        // drawing every bin (~1 % of bins hold a spike).
        double logNoSpike = Math.log1p(-inputSpikeProbability);
        long position = -1;
        while (true) {
            position += 1 + (long) (Math.log(1 - random.nextDouble()) / logNoSpike);
            if (position >= x.length) {
                break;
            }
            x[(int) position] = 1f;
        }
        float[] spike = new float[batch * w];
        float[] volt = new float[batch * w];
        float[] mask = new float[batch * w];
        for (int i = 0; i < spike.length; i++) {
            spike[i] = random.nextDouble() < OUTPUT_SPIKE_PROBABILITY ? 1f : 0f;
            volt[i] = (float) random.nextGaussian();
            mask[i] = i % w >= maskedBins ? 1f : 0f;
        }
        INDArray labelsMask = Nd4j.create(mask, new long[]{batch, w}, 'c');
        return new MultiDataSet(
                new INDArray[]{Nd4j.create(x, new long[]{batch, synapses, w}, 'c')},
                new INDArray[]{Nd4j.create(spike, new long[]{batch, 1, w}, 'c'), Nd4j.create(volt, new long[]{batch, 1, w}, 'c')},
                null,
                new INDArray[]{labelsMask, labelsMask});
    }

    @Override
    public void close() throws InterruptedException {
        producer.interrupt();
        queue.clear();
        producer.join(5_000);
    }
}

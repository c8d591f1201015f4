package io.neurosurrogate.trainer.ml;

import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Builds one epoch's training batches on a background thread, {@link #DEPTH} ahead of the optimiser,
 * so that reading traces (possibly from disk) and filling the dense input tensors overlap the math.
 * The batches are produced in order by one thread from the sampler, so an epoch's windows are exactly
 * those of a synchronous loop (training stays deterministic for a seed).
 */
final class BatchPrefetcher implements AutoCloseable {
    static final int DEPTH = 2;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
    private final Thread producer;
    private volatile boolean closed;
    private long waitNanos;

    BatchPrefetcher(WindowSampler sampler, int batches, int batchSize) {
        producer = new Thread(() -> {
            try {
                for (int b = 0; b < batches && !closed; b++) {
                    queue.put(sampler.next(batchSize));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                try {
                    queue.put(e);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "ns-batch-prefetch");
        producer.setDaemon(true);
        producer.start();
    }

    /** The next batch, or null after the last one. Rethrows what the producer failed with. */
    MultiDataSet next() throws InterruptedException {
        long t0 = System.nanoTime();
        Object o = queue.take();
        waitNanos += System.nanoTime() - t0;
        if (o == END) {
            queue.put(END);
            return null;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        if (o instanceof Error e) {
            throw e;
        }
        return (MultiDataSet) o;
    }

    /** Seconds the optimiser waited for data this epoch (0 when loading never blocked the math). */
    double waitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public void close() {
        closed = true;
        producer.interrupt();
        queue.clear();
        try {
            producer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

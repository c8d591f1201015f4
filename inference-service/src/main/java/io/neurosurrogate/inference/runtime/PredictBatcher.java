package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.inference.InferenceConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching of Predict ({@code ns.inference.batching.*}): requests for the same model version
 * (the same {@link LoadedModel} object, so a hot-swapped version never mixes with its successor) and
 * the same time_ms that arrive within {@code max-queue-delay} of each other are concatenated along the
 * batch axis into one ONNX Runtime run, and each caller gets its own rows back.
 *
 * <p>The first caller of a group leads it: it waits until the group holds {@code max-batch} neurons
 * or {@code max-queue-delay} has passed since it arrived, then runs the merged input on its own thread
 * and completes the other members' futures; they block on those, so a follower waits at most the
 * delay plus one run. A request that does not fit the open group closes it (its leader runs at once)
 * and leads a new one. A request of {@code max-batch} neurons or more runs alone at once, as does
 * every request when batching is off. A merged input is also kept within
 * {@link PredictRequests#MAX_ELEMENTS}, the bound on one request, so merging never needs more memory
 * than the largest request may.
 *
 * <p>A failed run (ONNX Runtime error: INTERNAL; version unloaded meanwhile: NOT_FOUND) fails every
 * member of that run with the same exception. Validation stays with the caller, before it gets
 * here, so a bad request never joins a group.
 */
@Singleton
public class PredictBatcher {
    private final boolean enabled;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Groups still taking requests; guarded by {@link #lock}. */
    private final Map<Key, Group> open = new HashMap<>();
    /** Requests in open groups; guarded by {@link #lock}. */
    private int queued;
    private final LongAdder runs = new LongAdder();
    private final LongAdder mergedRequests = new LongAdder();
    private final AtomicInteger largestRun = new AtomicInteger();
    /** Told the neurons of every ONNX Runtime run (the metrics' batch-size histogram). */
    private volatile java.util.function.IntConsumer runListener = neurons -> { };

    @Inject
    public PredictBatcher(InferenceConfig config) {
        this(config.batching().enabled(), config.batching().maxBatch(), config.batching().maxQueueDelay());
    }

    /**
     * Batching on.
     *
     * @param maxBatch      neurons per merged run; a request of this many or more runs alone
     * @param maxQueueDelay how long the first request of a group waits for others
     */
    public PredictBatcher(int maxBatch, Duration maxQueueDelay) {
        this(true, maxBatch, maxQueueDelay);
    }

    private PredictBatcher(boolean enabled, int maxBatch, Duration maxQueueDelay) {
        if (enabled && (maxBatch < 1 || maxQueueDelay.isNegative())) {
            throw new IllegalArgumentException("ns.inference.batching.max-batch must be >= 1 and max-queue-delay >= 0; got "
                    + maxBatch + ", " + maxQueueDelay);
        }
        this.enabled = enabled;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = enabled ? maxQueueDelay.toNanos() : 0;
    }

    /** Batching off: every request is one run of its own, at once. */
    public static PredictBatcher disabled() {
        return new PredictBatcher(false, 1, Duration.ZERO);
    }

    /**
     * Runs one validated request's dense input [batch, synapses, time], possibly merged with others.
     *
     * @return this request's rows; {@code computeMs} is the time of the whole run, shared by the merged requests
     * @throws io.neurosurrogate.core.DomainException as {@link LoadedModel#run}, for every request of a failed run
     */
    public Prediction run(LoadedModel model, FloatBuffer input, int batch, int time) {
        if (!enabled) {
            return runAlone(model, input, batch, time);
        }
        long perNeuron = (long) model.synapses() * time;
        if (input.remaining() != batch * perNeuron) {
            throw new IllegalArgumentException("input has " + input.remaining() + " floats, [" + batch + ", "
                    + model.synapses() + ", " + time + "] needs " + batch * perNeuron);
        }
        int cap = (int) Math.min(maxBatch, PredictRequests.MAX_ELEMENTS / perNeuron);
        if (batch >= cap) {
            return runAlone(model, input, batch, time);
        }
        Key key = new Key(model, time);
        Member me = new Member(input, batch);
        Group group;
        boolean leads;
        lock.lock();
        try {
            group = open.get(key);
            leads = group == null || group.neurons + batch > group.cap;
            if (!leads) {
                group.add(me);
                queued++;
                if (group.neurons == group.cap) {
                    seal(key, group);
                }
            } else {
                if (group != null) {
                    seal(key, group);
                }
                group = new Group(cap, lock.newCondition(), System.nanoTime() + maxDelayNanos);
                group.add(me);
                queued++;
                open.put(key, group);
            }
        } finally {
            lock.unlock();
        }
        if (!leads) {
            return await(me.result);
        }
        awaitSealed(key, group);
        return lead(model, time, group, me);
    }

    /** Leader: waits for the group to fill or its delay to pass, then closes it to newcomers. */
    private void awaitSealed(Key key, Group group) {
        boolean interrupted = false;
        lock.lock();
        try {
            long left;
            while (!group.sealed && (left = group.deadline - System.nanoTime()) > 0) {
                try {
                    group.full.awaitNanos(left);
                } catch (InterruptedException e) {
                    // the followers depend on this thread: run now rather than abandon them
                    interrupted = true;
                    break;
                }
            }
            if (!group.sealed) {
                seal(key, group);
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Caller holds the lock. */
    private void seal(Key key, Group group) {
        group.sealed = true;
        open.remove(key, group);
        queued -= group.members.size();
        group.full.signal();
    }

    /** Runs a sealed group (its members no longer change) and hands every member its rows. */
    private Prediction lead(LoadedModel model, int time, Group group, Member leader) {
        List<Member> members = group.members;
        try {
            if (members.size() == 1) {
                return runAlone(model, leader.input, leader.batch, time);
            }
            Prediction whole = runAlone(model, merged(members, group.neurons, model.synapses(), time), group.neurons, time);
            mergedRequests.add(members.size());
            Prediction mine = null;
            int offset = 0;
            for (Member m : members) {
                Prediction rows = rows(whole, offset, m.batch);
                offset += m.batch;
                if (m == leader) {
                    mine = rows;
                } else {
                    m.result.complete(rows);
                }
            }
            return mine;
        } catch (Throwable t) {
            for (Member m : members) {
                m.result.completeExceptionally(t); // no-op for those already answered
            }
            throw t;
        }
    }

    /** {@code listener} is told the neurons of every run from now on (one listener; the last one set). */
    public void onRun(java.util.function.IntConsumer listener) {
        this.runListener = listener;
    }

    private Prediction runAlone(LoadedModel model, FloatBuffer input, int batch, int time) {
        runs.increment();
        runListener.accept(batch);
        largestRun.accumulateAndGet(batch, Math::max);
        return model.run(input, batch, time);
    }

    /** [batch, synapses, time] is row-major, so concatenating along batch is appending the inputs. */
    private static FloatBuffer merged(List<Member> members, int neurons, int synapses, int time) {
        long floats = (long) neurons * synapses * time;
        FloatBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(floats * Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (Member m : members) {
            out.put(m.input.duplicate());
        }
        out.rewind();
        return out;
    }

    private static Prediction rows(Prediction whole, int offset, int batch) {
        int time = whole.time();
        int from = offset * time;
        int to = (offset + batch) * time;
        return new Prediction(batch, time, Arrays.copyOfRange(whole.spikeProb(), from, to),
                Arrays.copyOfRange(whole.somaMv(), from, to), whole.computeMs(),
                whole.nexusMv() == null ? null : Arrays.copyOfRange(whole.nexusMv(), from, to));
    }

    /** Uninterruptible: the leader completes every future within the delay plus one run, success or not. */
    private static Prediction await(CompletableFuture<Prediction> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Whether requests are merged at all. */
    public boolean enabled() {
        return enabled;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public Duration maxQueueDelay() {
        return Duration.ofNanos(maxDelayNanos);
    }

    /** ONNX Runtime runs so far, merged or not. */
    public long runs() {
        return runs.sum();
    }

    /** Requests so far that shared their run with at least one other. */
    public long mergedRequests() {
        return mergedRequests.sum();
    }

    /** Neurons in the largest run so far. */
    public int largestRun() {
        return largestRun.get();
    }

    /** Requests now waiting in groups that still take newcomers. */
    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** LoadedModel has identity equality: one key per loaded version object. */
    private record Key(LoadedModel model, int time) {
    }

    private static final class Member {
        final FloatBuffer input;
        final int batch;
        final CompletableFuture<Prediction> result = new CompletableFuture<>();

        Member(FloatBuffer input, int batch) {
            this.input = input;
            this.batch = batch;
        }
    }

    /** Requests for one (model, time) merged into one run; fields guarded by the batcher's lock until sealed. */
    private static final class Group {
        final int cap;
        final Condition full;
        final long deadline;
        final List<Member> members = new ArrayList<>();
        int neurons;
        boolean sealed;

        Group(int cap, Condition full, long deadline) {
            this.cap = cap;
            this.full = full;
            this.deadline = deadline;
        }

        void add(Member m) {
            members.add(m);
            neurons += m.batch;
        }
    }
}

package io.neurosurrogate.gateway.limits;

import io.neurosurrogate.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts each key's open client streams (Stream, ModelStreamInfer): each holds a downstream call and model
 * state on the inference service until it ends, so one key cannot hold them all.
 */
@ApplicationScoped
public class StreamSlots {
    private final int defaultMax;
    private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    @Inject
    public StreamSlots(GatewayConfig config) {
        this.defaultMax = config.limits().maxStreamsPerKey();
    }

    /** The most streams {@code limits}' key may hold open. */
    public int max(KeyLimits limits) {
        return limits.maxStreams().orElse(defaultMax);
    }

    /** Takes a slot for {@code keyId}, or answers false when it already holds {@code max} open streams. */
    public boolean tryOpen(String keyId, int max) {
        AtomicInteger count = open.computeIfAbsent(keyId, id -> new AtomicInteger());
        while (true) {
            int n = count.get();
            if (n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryOpen}; call once per slot. */
    public void release(String keyId) {
        AtomicInteger count = open.get(keyId);
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** How many streams {@code keyId} holds open now. */
    public int openStreams(String keyId) {
        AtomicInteger count = open.get(keyId);
        return count == null ? 0 : count.get();
    }
}

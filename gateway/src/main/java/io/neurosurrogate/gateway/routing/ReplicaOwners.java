package io.neurosurrogate.gateway.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which trainer replica holds what, keyed by a training job's id or by a model name, as learnt from
 * StartTraining and from lookups. Bounded: the least recently used entries go first, and a key no longer
 * remembered is found again by asking the replicas.
 */
final class ReplicaOwners {
    private final Map<String, Downstream> owners;

    ReplicaOwners(int capacity) {
        owners = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Downstream> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void remember(String key, Downstream replica) {
        owners.put(key, replica);
    }

    /** The replica, or null when the key is not remembered. */
    synchronized Downstream find(String key) {
        return owners.get(key);
    }

    /** Forgets the key, unless it has been remembered for another replica meanwhile. */
    synchronized void forget(String key, Downstream replica) {
        owners.remove(key, replica);
    }

    synchronized void forgetAll() {
        owners.clear();
    }
}

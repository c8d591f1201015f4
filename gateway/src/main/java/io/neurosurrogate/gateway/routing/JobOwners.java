package io.neurosurrogate.gateway.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which trainer replica holds which training job, as learnt from StartTraining and from lookups. Bounded:
 * the least recently used entries go first, and a job no longer remembered is found again by asking.
 */
final class JobOwners {
    private final Map<String, Downstream> owners;

    JobOwners(int capacity) {
        owners = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Downstream> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void remember(String jobId, Downstream replica) {
        owners.put(jobId, replica);
    }

    /** The replica, or null when the job is not remembered. */
    synchronized Downstream find(String jobId) {
        return owners.get(jobId);
    }

    synchronized void forgetAll() {
        owners.clear();
    }
}

package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.proto.v1.TrainingProgress;

/**
 * Follows one job's progress. Called with the job's monitor held, in order, once per update (first
 * the replayed history); must not block. A subscriber that throws is dropped.
 */
@FunctionalInterface
public interface ProgressSubscriber {
    void onProgress(TrainingProgress progress);
}

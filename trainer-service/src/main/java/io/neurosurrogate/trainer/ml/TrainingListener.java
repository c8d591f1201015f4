package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.proto.v1.TrainingProgress;

/** Receives training progress; the job id is filled in by the caller. */
public interface TrainingListener {
    void onProgress(TrainingProgress progress);

    /** Polled between batches; when true, training stops and train() throws CancellationException. */
    default boolean cancelled() {
        return false;
    }
}

/**
 * Training jobs: validation of job specs, a bounded FIFO queue with one worker thread, the run of one
 * job (wait for data, train, store the ONNX version and its report files, announce it), cancellation,
 * and each job's progress history for replay to watchers. Jobs are kept in the
 * {@link io.neurosurrogate.trainer.store.JobStore}, so a restarted trainer resumes the unfinished ones.
 */
package io.neurosurrogate.trainer.jobs;

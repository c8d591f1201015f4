/**
 * Training jobs: validation of job specs, a bounded FIFO queue with one worker thread, the run of one
 * job (wait for data, train, store the ONNX version, announce it), and each job's progress history
 * for replay to watchers.
 */
package io.neurosurrogate.trainer.jobs;

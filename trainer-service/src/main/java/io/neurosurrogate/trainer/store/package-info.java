/**
 * The trainer's durable state on its own disk: the dataset of simulation chunks consumed from
 * Kafka, the model store of exported ONNX artifacts and their report files, and the job store of
 * training jobs (spec, progress history, checkpoints). Every file is written atomically (temp file,
 * fsync, rename, directory fsync), so a crash leaves either the old or the new state; the one
 * append-only file, a job's progress log, tolerates a torn last record.
 */
package io.neurosurrogate.trainer.store;

/**
 * The trainer's durable state on its own disk: the dataset of simulation chunks consumed from
 * Kafka, and the model store of exported ONNX artifacts. Every file is written atomically (temp
 * file, fsync, rename, directory fsync), so a crash leaves either the old or the new state.
 */
package io.neurosurrogate.trainer.store;

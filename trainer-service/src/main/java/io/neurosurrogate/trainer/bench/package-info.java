/**
 * Benchmarks of the trainer's hot path, run as plain {@code main}s in a child JVM by
 * {@code nsurr bench trainer}: training steps per second of a preset on synthetic batches with
 * the statistics of real data, per first-layer mode, on whichever ND4J backend is on the classpath.
 */
package io.neurosurrogate.trainer.bench;

/**
 * Functional complexity of a neuron, after Beniaguev, Segev &amp; London (Neuron 2021): the smallest
 * temporal convolutional network (depth x width) whose surrogate reaches a target spike AUC.
 *
 * <p>{@link io.neurosurrogate.client.complexity.ComplexityGrid} is the sweep's plan (axes, target,
 * the architecture of each grid point); {@link io.neurosurrogate.client.complexity.ComplexitySweep}
 * runs it as training jobs through the gateway; {@link io.neurosurrogate.client.complexity.ComplexityReport}
 * reads the outcome (table, smallest network, JSON, RESULT line) and
 * {@link io.neurosurrogate.client.complexity.ComplexityHeatMap} draws it.
 */
package io.neurosurrogate.client.complexity;

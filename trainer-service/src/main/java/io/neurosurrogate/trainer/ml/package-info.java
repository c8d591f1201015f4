/**
 * Training the surrogate with DeepLearning4J: dataset split, voltage normalisation, random training
 * windows, the causal-conv ComputationGraph, the epoch loop with early stopping, and
 * {@link io.neurosurrogate.trainer.ml.Dl4jSurrogateTrainer}, which ties them to evaluation and ONNX
 * export (Beniaguev, Segev &amp; London, Neuron 2021).
 */
package io.neurosurrogate.trainer.ml;

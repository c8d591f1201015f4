/**
 * The Open Inference Protocol v2 (package {@code inference}, service GRPCInferenceService) mapped onto the
 * project's surrogates: the input tensor {@code spikes} [batch, synapses, time] becomes a Predict request (or,
 * with the sequence parameters of ModelStreamInfer, steps of a stateful Stream), and the model's outputs
 * {@code spike_prob}, {@code soma_mv} (and {@code nexus_mv}) come back as [batch, time] FP32 tensors.
 * The gRPC endpoint itself is {@code gateway.grpc.OpenInferenceEndpoint}.
 */
package io.neurosurrogate.gateway.oip;

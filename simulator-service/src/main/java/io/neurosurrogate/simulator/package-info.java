/**
 * simulator-service: neuron engines ({@code engine}), the paper's random input ({@code input}),
 * campaigns ({@code campaign}), the Kafka producer ({@code kafka}) and the gRPC SimulatorService
 * ({@code grpc}).
 */
package io.neurosurrogate.simulator;

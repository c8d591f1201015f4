/**
 * The public entry point of NeuroSurrogate: validates requests and routes them to the simulator, trainer
 * and inference services. {@code grpc} is the edge, {@code validation} rejects bad input before any
 * forwarding, {@code routing} owns the channels to the internal services.
 */
package io.neurosurrogate.gateway;

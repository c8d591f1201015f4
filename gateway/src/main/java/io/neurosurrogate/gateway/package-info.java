/**
 * The public entry point of NeuroSurrogate: validates requests and routes them to the simulator, trainer
 * and inference services. {@code grpc} is the edge, {@code validation} rejects bad input before any
 * forwarding, {@code routing} owns the channels to the internal services; {@code security} admits a call only
 * with an API key that has the method's scope, and {@code limits} applies that key's rate and stream quota.
 */
package io.neurosurrogate.gateway;

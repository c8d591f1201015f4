/**
 * gRPC edge of the simulator ({@code SimulatorService} in campaign.proto): thin adapters that call
 * the campaign package and map {@link io.neurosurrogate.core.DomainException} to a status once.
 */
package io.neurosurrogate.simulator.grpc;

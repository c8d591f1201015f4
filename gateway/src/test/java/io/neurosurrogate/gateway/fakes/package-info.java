/**
 * Test doubles of the internal services' gRPC contracts, served by real grpc-java servers on loopback
 * ports, so that the gateway's routing is tested over the wire. The real services are tested end to end in
 * the e2e module.
 */
package io.neurosurrogate.gateway.fakes;

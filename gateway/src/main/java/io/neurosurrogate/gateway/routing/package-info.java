/**
 * Channels to the internal services and the forwarding of calls over them: unary calls with a deadline,
 * server streams relayed with cancellation, downstream statuses passed through unchanged and an
 * unreachable service reported as UNAVAILABLE naming its address.
 */
package io.neurosurrogate.gateway.routing;

/**
 * Channels to the internal services and the forwarding of calls over them: unary calls with a deadline,
 * server streams relayed with cancellation, a caller's bidirectional stream tied to one downstream call with
 * flow control from end to end ({@link io.neurosurrogate.gateway.routing.StreamRelay}), downstream statuses passed through unchanged and an
 * unreachable service reported as UNAVAILABLE naming its address; several inference replicas, unary calls
 * spread over them and retried on another replica when one is gone, a circuit breaker per replica and every
 * stream pinned to one replica ({@link io.neurosurrogate.gateway.routing.Downstream#newPinnedCall}); and the spreading of training jobs over
 * several trainer replicas, each model name kept on the replica that numbers its versions
 * ({@link io.neurosurrogate.gateway.routing.TrainerReplicas}).
 */
package io.neurosurrogate.gateway.routing;

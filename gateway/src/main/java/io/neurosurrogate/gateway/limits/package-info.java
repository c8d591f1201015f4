/**
 * Per-key limits, applied after the caller's key is known: a token bucket of requests per second and a
 * quota of concurrently open client streams. A refused call ends with RESOURCE_EXHAUSTED carrying a
 * {@code google.rpc.RetryInfo}, so a client can wait the right time instead of guessing.
 */
package io.neurosurrogate.gateway.limits;

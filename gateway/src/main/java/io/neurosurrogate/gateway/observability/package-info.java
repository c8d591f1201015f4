/**
 * What the gateway tells operators: request metrics per method and status (Prometheus at /q/metrics), and the
 * caller's trace context passed on to the services behind it.
 */
package io.neurosurrogate.gateway.observability;

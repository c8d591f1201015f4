/** What the gateway tells operators: request metrics per method and status (Prometheus at /q/metrics). */
package io.neurosurrogate.gateway.observability;

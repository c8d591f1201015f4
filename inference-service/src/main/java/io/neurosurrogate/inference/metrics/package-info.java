/**
 * Micrometer meters of the inference service, scraped by Prometheus at {@code /q/metrics}: requests by
 * method and gRPC status, batch sizes, queue and ONNX Runtime time, open stream sequences and loaded
 * model versions.
 */
package io.neurosurrogate.inference.metrics;

/**
 * The public gRPC edge: the NeuroSurrogate service, the one place where errors become gRPC statuses, and
 * the request parsing that answers malformed bytes with INVALID_ARGUMENT.
 */
package io.neurosurrogate.gateway.grpc;

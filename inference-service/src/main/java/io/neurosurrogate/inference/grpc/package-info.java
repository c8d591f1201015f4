/** gRPC edge: InferenceService, and the one place where domain errors become gRPC statuses. */
package io.neurosurrogate.inference.grpc;

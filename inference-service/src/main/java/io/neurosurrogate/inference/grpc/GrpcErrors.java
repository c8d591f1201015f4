package io.neurosurrogate.inference.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;
import org.jboss.logging.Logger;

/** Maps failures to gRPC statuses, once, at the edge. */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof DomainException d) {
            Status status = switch (d.kind()) {
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
                case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
                case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case INTERNAL -> Status.INTERNAL;
            };
            if (d.kind() == DomainException.Kind.INTERNAL) {
                LOG.error(d.getMessage(), d);
            }
            return status.withDescription(d.getMessage()).asRuntimeException();
        }
        LOG.error("unexpected failure in InferenceService", t);
        return Status.INTERNAL.withDescription("internal error: " + t).asRuntimeException();
    }
}

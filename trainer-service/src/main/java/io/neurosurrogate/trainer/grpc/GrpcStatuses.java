package io.neurosurrogate.trainer.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;
import org.jboss.logging.Logger;

/** The one place where exceptions become gRPC statuses: domain errors keep their kind and message. */
final class GrpcStatuses {
    private static final Logger LOG = Logger.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
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
            return status.withDescription(d.getMessage()).asRuntimeException();
        }
        LOG.error("unexpected error in a TrainerService call", t);
        return Status.INTERNAL.withDescription("internal error: " + t).withCause(t).asRuntimeException();
    }
}

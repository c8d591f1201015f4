package io.neurosurrogate.simulator.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;
import org.jboss.logging.Logger;

/** The one place where exceptions become gRPC statuses: domain errors keep their kind and message. */
final class ErrorStatus {
    private static final Logger LOG = Logger.getLogger(ErrorStatus.class);

    private ErrorStatus() {
    }

    static StatusRuntimeException of(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (error instanceof DomainException de) {
            return code(de.kind()).withDescription(de.getMessage()).asRuntimeException();
        }
        LOG.error("unexpected error in a SimulatorService call", error);
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return Status.INTERNAL.withDescription("internal error: " + message).withCause(error).asRuntimeException();
    }

    private static Status code(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
    }
}

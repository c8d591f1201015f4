package io.neurosurrogate.core.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one mapping from failures to gRPC statuses, used at every service's edge: a
 * {@link DomainException} keeps its kind (named after the gRPC code) and its message; a status from
 * another service passes through unchanged; anything else is INTERNAL, logged with its stack trace.
 */
public final class GrpcStatuses {
    private static final System.Logger LOG = System.getLogger(GrpcStatuses.class.getName());

    private GrpcStatuses() {
    }

    /**
     * @param where names the service for the log line of an unexpected failure, e.g. "TrainerService"
     */
    public static StatusRuntimeException toStatus(Throwable t, String where) {
        Throwable cause = unwrap(t);
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof StatusException se) {
            return se.getStatus().asRuntimeException(se.getTrailers());
        }
        if (cause instanceof DomainException de) {
            if (de.kind() == DomainException.Kind.INTERNAL) {
                LOG.log(System.Logger.Level.ERROR, where + ": " + de.getMessage(), de);
            }
            return Status.fromCode(Status.Code.valueOf(de.kind().name())).withDescription(de.getMessage()).asRuntimeException();
        }
        LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + where, cause);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Status.INTERNAL.withDescription(where + " internal error: " + message).withCause(cause).asRuntimeException();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

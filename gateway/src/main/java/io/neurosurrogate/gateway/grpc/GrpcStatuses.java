package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.DomainException;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps whatever went wrong to the status the caller sees; the single place this happens. */
final class GrpcStatuses {
    private static final Logger LOG = Logger.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    static StatusRuntimeException of(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof StatusRuntimeException sre) {
            return sre; // a downstream status, already translated by routing: pass it through unchanged
        }
        if (cause instanceof StatusException se) {
            return se.getStatus().asRuntimeException(se.getTrailers());
        }
        if (cause instanceof DomainException de) {
            return Status.fromCode(Status.Code.valueOf(de.kind().name())).withDescription(de.getMessage()).asRuntimeException();
        }
        LOG.error("unexpected failure in the gateway", cause);
        return Status.INTERNAL.withDescription("gateway error: " + cause).withCause(cause).asRuntimeException();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

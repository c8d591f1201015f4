package io.neurosurrogate.core;

/**
 * An error a caller can act on. gRPC edges map {@link Kind} to a status code once
 * (INVALID_ARGUMENT, NOT_FOUND, ...); the message goes to the caller unchanged.
 */
public class DomainException extends RuntimeException {

    /** What went wrong, in the vocabulary of gRPC status codes. */
    public enum Kind {
        INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL
    }

    private final Kind kind;

    public DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DomainException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID_ARGUMENT, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException failedPrecondition(String message) {
        return new DomainException(Kind.FAILED_PRECONDITION, message);
    }
}

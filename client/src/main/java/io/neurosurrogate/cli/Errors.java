package io.neurosurrogate.cli;

import io.grpc.StatusRuntimeException;

/** One line a user can act on, from whatever went wrong. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + ": " + s.getStatus().getDescription();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

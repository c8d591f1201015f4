package io.neurosurrogate.gateway.security;

import io.grpc.Context;
import io.neurosurrogate.gateway.limits.KeyLimits;

/**
 * The caller's key as known to the rest of the call (limits, metrics, logs), set by {@link ApiKeyInterceptor}
 * in the gRPC {@link Context}. Unset for health checks and when security is disabled.
 */
public final class CallerKey {
    /** The id of the key the call was admitted with (never the key itself). */
    public static final Context.Key<String> ID = Context.key("ns-api-key-id");
    /** That key's own limits. */
    public static final Context.Key<KeyLimits> LIMITS = Context.key("ns-api-key-limits");

    private CallerKey() {
    }
}

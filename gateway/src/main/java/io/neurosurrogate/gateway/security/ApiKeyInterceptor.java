package io.neurosurrogate.gateway.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.neurosurrogate.gateway.GatewayConfig;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Optional;

/**
 * Admits a call only with a valid API key that has the scope its method needs ({@link MethodAccess}), before
 * any service code (or the limits) sees it; puts the key's id in the gRPC {@link Context} ({@link CallerKey}).
 * The key comes as {@code authorization: Bearer <key>} or {@code x-api-key: <key>}. Refusals are UNAUTHENTICATED
 * (no key, unknown or revoked key) or PERMISSION_DENIED (the key lacks the scope); their messages name the key
 * id at most, never the key.
 */
@GlobalInterceptor
@ApplicationScoped
public class ApiKeyInterceptor implements ServerInterceptor, Prioritized {
    /** Runs before {@link io.neurosurrogate.gateway.limits.CallLimitsInterceptor}: limits are per key. */
    public static final int PRIORITY = 2000;

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";
    private static final ServerCall.Listener<Object> NOTHING = new ServerCall.Listener<>() {
    };

    private final boolean enabled;
    private final ApiKeyRing keys;

    @Inject
    public ApiKeyInterceptor(GatewayConfig config, ApiKeyRing keys) {
        this.enabled = config.security().enabled();
        this.keys = keys;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        MethodAccess access = MethodAccess.of(method);
        if (!enabled || !access.needsKey()) {
            return next.startCall(call, headers);
        }
        Optional<String> presented = presentedKey(headers);
        if (presented.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(keys.anyConfigured()
                    ? "missing API key: send 'authorization: Bearer <key>'"
                    : noKeysConfigured()));
        }
        Optional<ApiKey> key = keys.find(presented.get());
        if (key.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(keys.anyConfigured() ? "unknown or revoked API key" : noKeysConfigured()));
        }
        if (access.scope() != null && !key.get().allows(access.scope())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "API key '" + key.get().id() + "' lacks scope '" + access.scope().id() + "' needed by " + method));
        }
        Context context = Context.current().withValues(CallerKey.ID, key.get().id(), CallerKey.LIMITS, key.get().limits());
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static String noKeysConfigured() {
        return "no API keys are configured on this gateway (ns.gateway.security.api-keys or ns.gateway.security.api-keys-file): "
                + "every call except health checks is refused";
    }

    private static Optional<String> presentedKey(Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            String key = authorization.substring(BEARER.length()).strip();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        String apiKey = headers.get(X_API_KEY);
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.strip());
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return (ServerCall.Listener<Q>) NOTHING;
    }
}

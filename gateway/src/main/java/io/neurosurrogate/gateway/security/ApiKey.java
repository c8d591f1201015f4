package io.neurosurrogate.gateway.security;

import io.neurosurrogate.gateway.limits.KeyLimits;

import java.util.Set;

/**
 * A configured key: its id (the only part ever logged), the SHA-256 of the key text, its scopes and its own
 * limits. The key text itself is never held by the gateway.
 */
public record ApiKey(String id, byte[] sha256, Set<Scope> scopes, KeyLimits limits) {

    /** Whether this key may call a method that needs {@code scope}; {@code admin} may call everything. */
    public boolean allows(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}

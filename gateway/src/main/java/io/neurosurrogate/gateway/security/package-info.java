/**
 * Who may call the gateway: API keys configured as SHA-256 hashes only ({@link io.neurosurrogate.gateway.security.ApiKeyRing},
 * re-read from a mounted key file so that a removed key stops working without a restart), the scope each
 * method needs ({@link io.neurosurrogate.gateway.security.MethodAccess}), and the interceptor that admits or
 * refuses every call before any service code runs ({@link io.neurosurrogate.gateway.security.ApiKeyInterceptor}).
 * Keys themselves are never logged nor echoed in a status: only key ids are.
 */
package io.neurosurrogate.gateway.security;

package io.neurosurrogate.client;

import io.neurosurrogate.core.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Gateway API keys: {@code nsk_} and 32 random URL-safe characters (192 bits). The gateway is configured with a
 * key's {@link #hash}, never the key, in an entry {@code <key-id>:<sha256-hex>:<scope>[+<scope>...]}.
 */
public final class ApiKeys {
    /** What every key starts with, so that a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "nsk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A fresh random key. */
    public static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The lower-case hex SHA-256 of the key's UTF-8 bytes: what the gateway's key entries hold. */
    public static String hash(String key) {
        return Sha256.of(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The gateway key entry for {@code key} ({@code id:sha256:scope+scope}). */
    public static String entry(String id, String key, java.util.List<String> scopes) {
        return id + ":" + hash(key) + ":" + String.join("+", scopes);
    }
}

package io.neurosurrogate.client;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * Sends an API key as {@code authorization: Bearer <key>} on every call made over a channel to the gateway
 * (streams included). The header goes over plaintext too: the local stack and a trusted network run without TLS;
 * across an untrusted network the gateway should have TLS configured.
 */
public final class ApiKeyHeader {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private ApiKeyHeader() {
    }

    /** {@code channel} with {@code key} on every call; {@code channel} itself when {@code key} is null or blank. */
    public static Channel on(Channel channel, String key) {
        if (key == null || key.isBlank()) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + key.strip());
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}

package io.neurosurrogate.gateway.limits;

import io.neurosurrogate.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link TokenBucket} per key id, sized by the key's own {@code rps=}/{@code burst=} or the gateway's
 * {@code ns.gateway.limits.requests-per-second}/{@code burst}. A key whose limits change in the key file gets
 * a fresh bucket.
 */
@ApplicationScoped
public class RequestRates {
    private final double defaultPerSecond;
    private final int defaultBurst;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RequestRates(GatewayConfig config) {
        this.defaultPerSecond = config.limits().requestsPerSecond();
        this.defaultBurst = config.limits().burst();
    }

    /** The bucket {@code keyId} draws from. */
    public TokenBucket bucket(String keyId, KeyLimits limits) {
        double perSecond = limits.requestsPerSecond().orElse(defaultPerSecond);
        int burst = limits.burst().orElse(defaultBurst);
        return buckets.compute(keyId, (id, b) -> b != null && b.perSecond() == perSecond && b.burst() == burst
                ? b : new TokenBucket(perSecond, burst, System.nanoTime()));
    }
}

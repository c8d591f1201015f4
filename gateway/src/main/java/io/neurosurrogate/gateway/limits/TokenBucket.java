package io.neurosurrogate.gateway.limits;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; each admitted request takes one.
 * A caller may spend a burst at once and then the steady rate.
 */
public final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long refilledAtNanos;

    public TokenBucket(double perSecond, int burst, long nowNanos) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate > 0 and a burst >= 1, got " + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.capacity = burst;
        this.tokens = burst;
        this.refilledAtNanos = nowNanos;
    }

    public double perSecond() {
        return perSecond;
    }

    public int burst() {
        return (int) capacity;
    }

    /** Takes a token and answers 0, or takes none and answers how many nanoseconds until one is there. */
    public synchronized long tryTake(long nowNanos) {
        if (nowNanos > refilledAtNanos) {
            tokens = Math.min(capacity, tokens + (nowNanos - refilledAtNanos) * perSecond / 1e9);
            refilledAtNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1e9));
    }
}

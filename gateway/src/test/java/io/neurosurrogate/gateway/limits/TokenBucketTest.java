package io.neurosurrogate.gateway.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void aFullBucketGivesItsBurstThenSaysHowLongUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);

        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isEqualTo(100 * MS);
        assertThat(bucket.tryTake(40 * MS)).isEqualTo(60 * MS);
        assertThat(bucket.tryTake(100 * MS)).isZero();
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 2, 0);
        bucket.tryTake(0);
        bucket.tryTake(0);

        long later = 60_000 * MS;
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isPositive();
    }
}

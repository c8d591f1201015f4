package io.neurosurrogate.gateway.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica's breaker, on a clock the test moves. */
class CircuitBreakerTest {
    private long now = 1_000;
    private final CircuitBreaker breaker = new CircuitBreaker("inference service at h:1", 3, Duration.ofSeconds(5), () -> now);

    @Test
    void opensAfterTheConfiguredConsecutiveFailuresOnly() {
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void anAnswerInBetweenStartsTheCountAgain() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onAnswer();
        breaker.onFailure();
        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void afterOpenForOneTrialCallIsLetThroughAndItsSuccessClosesTheBreaker() {
        open();
        advance(4_999);
        assertThat(breaker.tryAcquire()).isFalse();
        advance(1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("the trial").isTrue();
        assertThat(breaker.tryAcquire()).as("a second call while the trial is under way").isFalse();

        breaker.onAnswer();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aFailedTrialOpensTheBreakerForAnotherOpenFor() {
        open();
        advance(5_000);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        advance(4_999);
        assertThat(breaker.tryAcquire()).isFalse();
        advance(1);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aTrialWithoutVerdictLetsTheNextCallTry() {
        open();
        advance(5_000);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onNoVerdict();

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void aTrialThatNeverEndsIsGivenUpAfterOpenFor() {
        open();
        advance(5_000);
        assertThat(breaker.tryAcquire()).isTrue();
        advance(4_999);
        assertThat(breaker.tryAcquire()).isFalse();
        advance(1);

        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aFailureIsRecentForOpenForUnlessAnAnswerFollows() {
        assertThat(breaker.failedRecently()).isFalse();
        breaker.onFailure();
        assertThat(breaker.failedRecently()).isTrue();
        advance(5_000);
        assertThat(breaker.failedRecently()).isFalse();

        breaker.onFailure();
        breaker.onAnswer();

        assertThat(breaker.failedRecently()).isFalse();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private void advance(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }
}

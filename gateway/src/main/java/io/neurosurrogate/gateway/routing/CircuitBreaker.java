package io.neurosurrogate.gateway.routing;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One replica's circuit breaker. After {@code failures} consecutive failures (the replica did not answer) it
 * opens: the replica is skipped for {@code openFor}, so that calls stop paying a connection attempt or a
 * timeout to a replica that is down. Then it is half-open: one trial call may go there; its success closes
 * the breaker, its failure opens it again for another {@code openFor}. A trial that ends neither way (the
 * caller cancelled, the deadline passed, or the call was never started) frees the trial after {@code openFor}
 * at the latest. Any answer of the replica, even an error status, is a success: the replica is there.
 *
 * <p>Each change of state is logged once, with the replica's address. Thread-safe.
 */
public final class CircuitBreaker {
    private static final Logger LOG = Logger.getLogger(CircuitBreaker.class);

    /** What callers see; {@link #HALF_OPEN} while a trial call is allowed or under way. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String replica;
    private final int failuresToOpen;
    private final long openForNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    /** OPEN: when it may turn half-open. HALF_OPEN: when the trial under way, if any, is given up on. */
    private long untilNanos;
    private boolean trialUnderWay;
    private long lastFailureNanos;

    /**
     * @param replica        how logs name the replica (service and address)
     * @param failuresToOpen consecutive failures that open the breaker (at least 1)
     * @param openFor        how long an open breaker keeps calls away
     * @param nanoClock      {@link System#nanoTime} but in tests
     */
    public CircuitBreaker(String replica, int failuresToOpen, Duration openFor, LongSupplier nanoClock) {
        if (failuresToOpen < 1) {
            throw new IllegalArgumentException("ns.gateway.routing.circuit.failures must be at least 1, not " + failuresToOpen);
        }
        this.replica = replica;
        this.failuresToOpen = failuresToOpen;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The state now: an open breaker whose time is up reads HALF_OPEN. */
    public synchronized State state() {
        if (state == State.OPEN && expired()) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /**
     * Whether the replica's last call failed less than {@code openFor} ago (and none has succeeded since): a
     * stream, which cannot be moved once open, rather goes to a replica without such a failure.
     */
    public synchronized boolean failedRecently() {
        return consecutiveFailures > 0 && nanoClock.getAsLong() - lastFailureNanos < openForNanos;
    }

    /**
     * Whether a call may go to the replica now; true for a closed breaker and for the one trial of a half-open
     * one (the caller then owes this breaker the call's outcome).
     */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (!expired()) {
                    return false;
                }
                state = State.HALF_OPEN;
                LOG.infof("%s: circuit half-open after %d ms, trying one call", replica, openForNanos / 1_000_000);
                return startTrial();
            case HALF_OPEN:
            default:
                return (!trialUnderWay || expired()) && startTrial();
        }
    }

    /** The replica answered (with any status but UNAVAILABLE): the breaker closes. */
    public synchronized void onAnswer() {
        consecutiveFailures = 0;
        trialUnderWay = false;
        if (state != State.CLOSED) {
            state = State.CLOSED;
            LOG.infof("%s: circuit closed, the replica answers again", replica);
        }
    }

    /** The replica did not answer (UNAVAILABLE: refused, reset, gone mid-call). */
    public synchronized void onFailure() {
        consecutiveFailures++;
        lastFailureNanos = nanoClock.getAsLong();
        trialUnderWay = false;
        switch (state) {
            case CLOSED:
                if (consecutiveFailures >= failuresToOpen) {
                    open();
                    LOG.warnf("%s: circuit open for %d ms after %d consecutive failures", replica, openForNanos / 1_000_000, consecutiveFailures);
                }
                break;
            case HALF_OPEN:
                open();
                LOG.warnf("%s: circuit open again for %d ms, the trial call failed", replica, openForNanos / 1_000_000);
                break;
            case OPEN:
            default:
                open(); // a call that went there anyway (every replica open) failed: keep it away a while longer
        }
    }

    /** A call ended without telling whether the replica is there (cancelled, past its deadline): a trial is freed. */
    public synchronized void onNoVerdict() {
        if (state == State.HALF_OPEN && trialUnderWay) {
            trialUnderWay = false;
        }
    }

    private boolean startTrial() {
        trialUnderWay = true;
        untilNanos = nanoClock.getAsLong() + openForNanos;
        return true;
    }

    private void open() {
        state = State.OPEN;
        untilNanos = nanoClock.getAsLong() + openForNanos;
    }

    private boolean expired() {
        return nanoClock.getAsLong() - untilNanos >= 0;
    }
}

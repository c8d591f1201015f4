package io.neurosurrogate.gateway.limits;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.gateway.security.ApiKeyInterceptor;
import io.neurosurrogate.gateway.security.CallerKey;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies the caller key's limits to each call the {@link ApiKeyInterceptor} admitted: every call, unary or
 * streaming, takes one token from the key's {@link TokenBucket}; a call that streams requests (Stream,
 * ModelStreamInfer) also holds one of the key's {@link StreamSlots} from its start until it ends in any way
 * (completed, failed, cancelled). The requests inside an open stream take no tokens: a co-simulation steps at
 * its own pace, and each step is bounded by {@code ns.gateway.stream.max-steps-per-request} and by flow control.
 * Calls without a key (health checks, or security disabled) are not limited.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallLimitsInterceptor implements ServerInterceptor, Prioritized {
    /** How long a caller refused a stream slot is told to wait: slots free as streams end, at no known time. */
    static final Duration STREAM_RETRY = Duration.ofSeconds(1);

    private final RequestRates rates;
    private final StreamSlots streams;

    @Inject
    public CallLimitsInterceptor(RequestRates rates, StreamSlots streams) {
        this.rates = rates;
        this.streams = streams;
    }

    @Override
    public int getPriority() {
        return ApiKeyInterceptor.PRIORITY - 1000;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String keyId = CallerKey.ID.get();
        if (keyId == null) {
            return next.startCall(call, headers);
        }
        KeyLimits limits = CallerKey.LIMITS.get() == null ? KeyLimits.DEFAULTS : CallerKey.LIMITS.get();
        TokenBucket bucket = rates.bucket(keyId, limits);
        long waitNanos = bucket.tryTake(System.nanoTime());
        if (waitNanos > 0) {
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
            return refuse(call, RetryableRefusal.of(String.format(Locale.ROOT, "rate limit of %s requests/s for key '%s' exceeded; retry in %d ms",
                    rate(bucket.perSecond()), keyId, waitMs), Duration.ofMillis(waitMs)));
        }
        if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
            int max = streams.max(limits);
            if (!streams.tryOpen(keyId, max)) {
                return refuse(call, RetryableRefusal.of("key '" + keyId + "' already has " + max + " open streams, its limit; close one or retry in "
                        + STREAM_RETRY.toMillis() + " ms", STREAM_RETRY));
            }
            return holdingSlot(call, headers, next, keyId);
        }
        return next.startCall(call, headers);
    }

    /** Starts the call with a stream slot that is released exactly once, however the call ends. */
    private <Q, R> ServerCall.Listener<Q> holdingSlot(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next, String keyId) {
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                streams.release(keyId);
            }
        };
        ServerCall<Q, R> releasingOnClose = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                release.run(); // before the caller can see the end, so that its next stream finds the slot free
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(releasingOnClose, headers);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }
        };
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException refusal) {
        call.close(refusal.getStatus(), refusal.getTrailers() == null ? new Metadata() : refusal.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }
}

package io.neurosurrogate.gateway.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a caller's stream receives, read one message at a time, and how it ended. */
final class Received<R> implements StreamObserver<R> {
    private final BlockingQueue<R> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private volatile Metadata trailers = new Metadata();

    @Override
    public void onNext(R value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        Metadata sent = Status.trailersFromThrowable(t);
        trailers = sent == null ? new Metadata() : sent;
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** The next message; fails the test when none comes within 10 s. */
    R next() throws InterruptedException {
        R message = messages.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a message within 10 s").isNotNull();
        return message;
    }

    /** How the stream ended (OK when completed); fails the test when it does not end within 10 s. */
    Status status() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    /** The trailers of a stream that ended with an error (empty otherwise); call after {@link #status()}. */
    Metadata trailers() {
        return trailers;
    }
}

package io.neurosurrogate.gateway.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;

/** A caller's Stream through the gateway, read one response at a time; cancelling it cancels the call. */
final class StreamCaller {
    private final Received<StreamResponse> responses = new Received<>();
    private final Context.CancellableContext context = Context.current().withCancellation();
    private final StreamObserver<StreamRequest> requests;

    StreamCaller(NeuroSurrogateGrpc.NeuroSurrogateStub gateway) {
        Context previous = context.attach();
        try {
            requests = gateway.stream(responses);
        } finally {
            context.detach(previous);
        }
    }

    StreamCaller send(StreamRequest... sent) {
        for (StreamRequest r : sent) {
            requests.onNext(r);
        }
        return this;
    }

    StreamCaller halfClose() {
        requests.onCompleted();
        return this;
    }

    /** The next response; fails the test when none comes within 10 s. */
    StreamResponse next() throws InterruptedException {
        return responses.next();
    }

    /** How the stream ended (OK when completed); fails the test when it does not end within 10 s. */
    Status status() throws Exception {
        return responses.status();
    }

    /** The trailers it ended with; call after {@link #status()}. */
    Metadata trailers() {
        return responses.trailers();
    }

    void cancel() {
        context.cancel(null);
    }
}

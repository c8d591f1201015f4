package io.neurosurrogate.inference.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.grpc.GrpcStatuses;
import io.neurosurrogate.core.inference.StreamPrecision;
import io.neurosurrogate.inference.metrics.InferenceMetrics;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.runtime.StreamSession;
import io.neurosurrogate.inference.runtime.StreamSessions;
import io.neurosurrogate.proto.v1.StreamOpen;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStepResult;
import org.jboss.logging.Logger;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One InferenceService.Stream call. Requests arrive on a gRPC thread and are queued; one task at a
 * time drains the queue on the stream workers, so requests are processed in order, off the event
 * loop, and each answered before the next starts. The first error ends the call with its status.
 * Flow control is manual: gRPC reads at most {@value #IN_FLIGHT} requests ahead of the ones answered,
 * so a client that sends faster than the model steps is slowed by HTTP/2 flow control instead of
 * filling this service's memory.
 */
final class StreamCall implements StreamObserver<StreamRequest> {
    private static final Logger LOG = Logger.getLogger(StreamCall.class);
    private static final String WHERE = "InferenceService.Stream";
    /** Requests read from the transport but not yet answered, at most. */
    static final int IN_FLIGHT = 4;

    private final StreamObserver<StreamResponse> responses;
    private final ModelRegistry registry;
    private final StreamSessions sessions;
    private final InferenceMetrics metrics;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Null when the transport gives no flow control (then gRPC reads ahead as it likes). */
    private final ServerCallStreamObserver<StreamResponse> flow;
    /** Set by the first request (open); read by gRPC threads only to mark activity. */
    private volatile StreamSession session;
    /** Worker side only: the call has been answered with a status or completion. */
    private boolean ended;

    StreamCall(StreamObserver<StreamResponse> responses, ModelRegistry registry, StreamSessions sessions, InferenceMetrics metrics) {
        this.responses = responses;
        this.registry = registry;
        this.sessions = sessions;
        this.metrics = metrics;
        if (responses instanceof ServerCallStreamObserver<StreamResponse> server) {
            server.disableAutoRequest();
            server.request(IN_FLIGHT);
            flow = server;
        } else {
            flow = null;
        }
    }

    @Override
    public void onNext(StreamRequest request) {
        StreamSession s = session;
        if (s != null) {
            s.touch();
        }
        long arrived = System.nanoTime();
        submit(() -> handle(request, arrived));
    }

    /** The client cancelled or the transport failed: nobody is listening any more. */
    @Override
    public void onError(Throwable t) {
        submit(() -> {
            ended = true;
            release();
        });
    }

    @Override
    public void onCompleted() {
        submit(() -> {
            if (!ended) {
                ended = true;
                release();
                responses.onCompleted();
            }
        });
    }

    /**
     * Answers one request, or ends the call with the status it failed with. A request that arrives
     * after the call ended is dropped unanswered, and not counted.
     */
    private void handle(StreamRequest request, long arrived) {
        if (ended) {
            return;
        }
        metrics.started(InferenceMetrics.Method.STREAM, arrived);
        StreamResponse answer;
        try {
            answer = answer(request);
        } catch (Throwable t) {
            StatusRuntimeException status = GrpcStatuses.toStatus(t, WHERE);
            metrics.request(InferenceMetrics.Method.STREAM, status.getStatus().getCode());
            fail(status);
            return;
        }
        metrics.request(InferenceMetrics.Method.STREAM, Status.Code.OK);
        responses.onNext(answer);
        if (flow != null) {
            flow.request(1);
        }
    }

    private StreamResponse answer(StreamRequest request) {
        StreamResponse.Builder response = StreamResponse.newBuilder().setRequestId(request.getRequestId());
        if (request.getKindCase() == StreamRequest.KindCase.OPEN) {
            open(request.getOpen(), response);
            return response.build();
        }
        StreamSession s = session;
        if (s == null) {
            throw DomainException.failedPrecondition("the first request of a stream must be open, got "
                    + describe(request.getKindCase()) + " (request_id " + request.getRequestId() + ")");
        }
        switch (request.getKindCase()) {
            case START -> response.setStarted(s.start(request.getStart()));
            case STEP -> response.setStep(step(s, request));
            case END -> response.setEnded(s.end(request.getEnd()));
            default -> throw DomainException.invalid("request_id " + request.getRequestId()
                    + " has no open, start, step or end");
        }
        s.touch();
        return response.build();
    }

    private StreamStepResult step(StreamSession s, StreamRequest request) {
        StreamStepResult result = s.step(request.getStep());
        metrics.computed(InferenceMetrics.Method.STREAM, result.getSequenceIdsCount(), result.getComputeMs());
        return result;
    }

    private void open(StreamOpen open, StreamResponse.Builder response) {
        if (session != null) {
            throw DomainException.failedPrecondition("the stream is already open on " + session.model().label()
                    + "; open only once, as the first request");
        }
        StreamPrecision precision = StreamPrecision.parse(open.getPrecision());
        StreamSession s = sessions.open(registry.resolve(open.getModelName(), open.getVersion()), open.getEventDriven(), precision, this::evict);
        session = s;
        response.setOpened(s.opened());
    }

    /** Called by the idle check: end the call, in order with any request still queued. */
    private void evict() {
        submit(() -> fail(Status.DEADLINE_EXCEEDED.withDescription("the stream was idle for longer than "
                + sessions.idleTimeout() + " (ns.inference.stream.idle-timeout); its sequences were freed").asRuntimeException()));
    }

    private void fail(StatusRuntimeException status) {
        if (ended) {
            return;
        }
        ended = true;
        release();
        responses.onError(status);
    }

    private void release() {
        StreamSession s = session;
        if (s != null) {
            sessions.close(s);
        }
    }

    private void submit(Runnable task) {
        queue.add(task);
        if (queued.getAndIncrement() == 0) {
            sessions.workers().execute(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable task = queue.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                // e.g. the client is gone and the response observer refuses; the call is over either way
                LOG.debugf(e, "%s: a task failed after the call ended", WHERE);
                if (!ended) {
                    ended = true;
                    release();
                }
            }
        } while (queued.decrementAndGet() > 0);
    }

    private static String describe(StreamRequest.KindCase kind) {
        return kind == StreamRequest.KindCase.KIND_NOT_SET ? "a request with no kind" : kind.name().toLowerCase();
    }
}

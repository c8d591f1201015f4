package io.neurosurrogate.gateway.routing;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.neurosurrogate.gateway.GatewayConfig;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * ns.gateway.inference read into replicas (a list of host:port, or one dns:/// target), and the calls over them
 * as the gateway's code makes them: retried only when idempotent and the replica is gone, pinned for a stream.
 */
class ReplicatedDownstreamTest {
    private final AtomicInteger listed = new AtomicInteger();
    private final List<Backend> backends = new ArrayList<>();
    private Server server;
    private Downstream downstream;

    @AfterEach
    void close() throws InterruptedException {
        if (downstream != null) {
            downstream.shutdown();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Backend b : backends) {
            b.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailureOtherThanAGoneReplicaIsTheAnswerAndIsNotRetried() {
        Backend a = backend();
        Backend b = backend();
        a.answer = Status.NOT_FOUND.withDescription("not here");
        b.answer = Status.NOT_FOUND.withDescription("not here");
        downstream = open(List.of(a.address(), b.address()));

        Status status = statusOf(downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(a.unary.get() + b.unary.get()).isEqualTo(1);
    }

    @Test
    void anIdempotentCallIsRetriedOnAnotherReplicaButANonIdempotentOneIsNot() throws Exception {
        Backend a = backend();
        Backend b = backend();
        a.answer = Status.UNAVAILABLE.withDescription("going away");
        downstream = open(List.of(a.address(), b.address()));

        downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);
        assertThat(a.unary.get()).as("a's turn first").isEqualTo(1);
        assertThat(b.unary.get()).as("the retry").isEqualTo(1);
        Status once = statusOf(downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance(),
                Downstream.Idempotency.NOT_IDEMPOTENT));

        assertThat(once.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(once.getDescription()).isEqualTo("inference service unavailable at " + a.address() + ": going away");
        assertThat(a.unary.get()).as("a's turn again").isEqualTo(2);
        assertThat(b.unary.get()).isEqualTo(1);
    }

    @Test
    void aCallUnderWayOnAReplicaThatDiesIsMadeAgainOnAnother() throws Exception {
        Backend a = backend();
        Backend b = backend();
        a.hang = true;
        downstream = open(List.of(a.address(), b.address()));

        Future<ListLoadedModelsResponse> call = downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(),
                ListLoadedModelsRequest.getDefaultInstance());
        assertThat(a.reached.await(10, TimeUnit.SECONDS)).as("the call reached a").isTrue();
        a.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ListLoadedModelsResponse.getDefaultInstance());
        assertThat(b.unary.get()).isEqualTo(1);
    }

    @Test
    void whenEveryAttemptFindsItsReplicaGoneTheFailureNamesEveryAttempt() {
        Backend a = backend();
        Backend b = backend();
        a.answer = Status.UNAVAILABLE.withDescription("going away");
        b.answer = Status.UNAVAILABLE.withDescription("going away too");
        downstream = open(List.of(a.address(), b.address()));

        Status status = statusOf(downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo("inference service unavailable at " + a.address() + ": going away; attempts: "
                + a.address() + ", " + b.address() + ", " + a.address());
        assertThat(a.unary.get()).isEqualTo(2);
        assertThat(b.unary.get()).isEqualTo(1);
    }

    @Test
    void aPinnedCallStaysOnItsReplicaAndEndsUnavailableNamingItWhenItDies() throws Exception {
        Backend a = backend();
        Backend b = backend();
        downstream = open(List.of(a.address(), b.address()));
        PinnedCall<StreamRequest, StreamResponse> call = downstream.newPinnedCall(InferenceServiceGrpc.getStreamMethod(), CallOptions.DEFAULT);
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        StreamObserver<StreamRequest> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
            @Override
            public void onNext(StreamResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                received.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                received.add(Status.OK);
            }
        });
        for (long id = 1; id <= 5; id++) {
            requests.onNext(StreamRequest.newBuilder().setRequestId(id).build());
            assertThat(received.poll(10, TimeUnit.SECONDS)).isInstanceOf(StreamResponse.class);
        }
        Backend home = call.replica().equals(a.address()) ? a : b;
        Backend other = home == a ? b : a;

        assertThat(home.streamed.get()).isEqualTo(5);
        assertThat(other.streamed.get()).isZero();

        home.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        Object end = received.poll(10, TimeUnit.SECONDS);

        assertThat(end).isInstanceOf(Status.class);
        assertThat(((Status) end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(((Status) end).getDescription()).startsWith("inference service unavailable at " + home.address() + ": ");
        assertThat(downstream.newPinnedCall(InferenceServiceGrpc.getStreamMethod(), CallOptions.DEFAULT).replica())
                .as("the next stream, on the replica that is there").isEqualTo(other.address());
    }

    @Test
    void aStreamOpenedOnAServerEventLoopIsRelayedOnThatLoopThroughItsOwnChannel() throws Exception {
        Backend backend = backend();
        NioEventLoopGroup serverLoops = new NioEventLoopGroup(2);
        try {
            downstream = Downstreams.openReplicated("inference service", "ns.gateway.inference", List.of(backend.address()), routing(),
                    Duration.ofSeconds(5), 1 << 20, serverLoops);
            Replica replica = downstream.replicas().get(0);
            EventLoop first = serverLoops.next();
            EventLoop second = serverLoops.next();
            assertThat(second).isNotSameAs(first);

            // As the gateway relays a Stream: opened on the loop that runs the caller's call, callbacks run directly.
            assertThat(streamOn(first)).isTrue();
            assertThat(streamOn(first)).isTrue();
            assertThat(replica.loopChannels().opened()).hasSize(1);
            assertThat(streamOn(second)).isTrue();
            assertThat(replica.loopChannels().opened()).hasSize(2);
            // Off the loops (a worker thread): the replica's shared channel, callbacks on no loop of the server's.
            assertThat(streamOn(null)).isFalse();
            assertThat(replica.loopChannels().opened()).hasSize(2);
            assertThat(backend.streamed.get()).isEqualTo(4);

            downstream.shutdown();
            assertThat(replica.loopChannels().opened()).allMatch(ManagedChannel::isShutdown);
            downstream = null;
        } finally {
            serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Opens a pinned stream (direct executor, as the relay does) from {@code loop}'s thread, or from this thread when
     * null, sends one request and waits for its answer; true when the answer arrived on {@code loop}'s thread.
     */
    private boolean streamOn(EventLoop loop) throws Exception {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        AtomicReference<Thread> openedOn = new AtomicReference<>();
        Runnable open = () -> {
            openedOn.set(Thread.currentThread());
            ClientCall<StreamRequest, StreamResponse> call = downstream.newPinnedCall(InferenceServiceGrpc.getStreamMethod(),
                    CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor()));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(StreamResponse message) {
                    answers.add(Thread.currentThread());
                    call.halfClose();
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    answers.add(status);
                }
            }, new Metadata());
            call.request(1);
            call.sendMessage(StreamRequest.newBuilder().setRequestId(7).build());
        };
        if (loop == null) {
            open.run();
        } else {
            loop.submit(open).get(5, TimeUnit.SECONDS);
        }
        Object answeredOn = answers.poll(10, TimeUnit.SECONDS);
        assertThat(answeredOn).as("the stream's answer").isInstanceOf(Thread.class);
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Status.class, s -> assertThat(s.isOk()).isTrue());
        return answeredOn == openedOn.get();
    }

    @Test
    void aCommaSeparatedListIsOneReplicaPerAddressInOrder() {
        downstream = open(List.of(" 127.0.0.1:1", "127.0.0.1:2 ", ""));

        assertThat(downstream.replicas()).extracting(Replica::address).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        assertThat(downstream.address()).isEqualTo("127.0.0.1:1,127.0.0.1:2");
        assertThat(downstream.replicas()).extracting(Replica::circuit).containsOnly(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aReplicaNamedTwiceOrNoneAtAllIsAConfigurationError() {
        assertThatThrownBy(() -> open(List.of("h:1", "h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns.gateway.inference names h:1 twice");
        assertThatThrownBy(() -> open(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ns.gateway.inference names no inference service");
    }

    @Test
    void aDnsTargetIsOneReplicaWhoseChannelReachesTheNamesAddresses() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new InferenceServiceGrpc.InferenceServiceImplBase() {
            @Override
            public void listLoadedModels(ListLoadedModelsRequest request, StreamObserver<ListLoadedModelsResponse> out) {
                listed.incrementAndGet();
                out.onNext(ListLoadedModelsResponse.getDefaultInstance());
                out.onCompleted();
            }
        }).build().start();
        String target = "dns:///localhost:" + server.getPort();
        downstream = open(List.of(target));

        for (int i = 0; i < 3; i++) {
            downstream.unary(InferenceServiceGrpc.getListLoadedModelsMethod(), ListLoadedModelsRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS);
        }

        assertThat(downstream.replicas()).extracting(Replica::address).containsExactly(target);
        assertThat(listed.get()).isEqualTo(3);
    }

    private Backend backend() {
        Backend b = new Backend();
        backends.add(b);
        return b;
    }

    private static Status statusOf(Future<?> call) {
        Throwable thrown = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(thrown).as("the call should fail").isNotNull();
        return Status.fromThrowable(thrown.getCause());
    }

    /** An inference service double: ListLoadedModels answers {@link #answer} (OK when null); Stream answers each request. */
    private static final class Backend extends InferenceServiceGrpc.InferenceServiceImplBase {
        final AtomicInteger unary = new AtomicInteger();
        final AtomicInteger streamed = new AtomicInteger();
        final CountDownLatch reached = new CountDownLatch(1);
        final Server server;
        final int port;
        volatile Status answer;
        /** ListLoadedModels never answers (the call stays under way until the server goes). */
        volatile boolean hang;

        Backend() {
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            port = server.getPort();
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void listLoadedModels(ListLoadedModelsRequest request, StreamObserver<ListLoadedModelsResponse> out) {
            unary.incrementAndGet();
            reached.countDown();
            if (hang) {
                return;
            }
            if (answer != null) {
                out.onError(answer.asRuntimeException());
                return;
            }
            out.onNext(ListLoadedModelsResponse.getDefaultInstance());
            out.onCompleted();
        }

        @Override
        public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamRequest request) {
                    streamed.incrementAndGet();
                    out.onNext(StreamResponse.newBuilder().setRequestId(request.getRequestId()).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }

    private static Downstream open(List<String> configured) {
        return Downstreams.openReplicated("inference service", "ns.gateway.inference", configured, routing(), Duration.ofSeconds(5), 1 << 20);
    }

    private static GatewayConfig.Routing routing() {
        return new GatewayConfig.Routing() {
            @Override
            public int maxAttempts() {
                return 3;
            }

            @Override
            public Circuit circuit() {
                return new Circuit() {
                    @Override
                    public int failures() {
                        return 3;
                    }

                    @Override
                    public Duration openFor() {
                        return Duration.ofSeconds(5);
                    }
                };
            }
        };
    }
}

package io.neurosurrogate.client;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {

    @Test
    void aGeneratedKeyIsPrefixedUrlSafeAndFresh() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).matches("nsk_[A-Za-z0-9_-]{32}");
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void theHashIsTheSha256HexOfTheKeysBytesAndTheEntryHoldsItNotTheKey() {
        // sha256("abc") from FIPS 180-2, appendix B.1
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.entry("ci", "abc", List.of("predict", "train")))
                .isEqualTo("ci:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad:predict+train");
    }

    @Test
    void theClientSendsItsKeyAsABearerTokenOnUnaryCallsAndStreams() throws Exception {
        Map<String, String> authorizationByMethod = new ConcurrentHashMap<>();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String authorization = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                authorizationByMethod.put(call.getMethodDescriptor().getBareMethodName(), String.valueOf(authorization));
                return next.startCall(call, headers);
            }
        };
        NeuroSurrogateGrpc.NeuroSurrogateImplBase gateway = new NeuroSurrogateGrpc.NeuroSurrogateImplBase() {
            @Override
            public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
                out.onNext(ListModelsResponse.getDefaultInstance());
                out.onCompleted();
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(gateway, recorder)).build().start();
        try (NeuroSurrogateClient client = new NeuroSurrogateClient("127.0.0.1:" + server.getPort(), "nsk_client_test_key");
             NeuroSurrogateClient anonymous = new NeuroSurrogateClient("127.0.0.1:" + server.getPort())) {
            client.listModels();
            try {
                client.openStream("m", "latest").close(); // the double does not implement Stream: only its headers matter
            } catch (RuntimeException unimplemented) {
                // expected
            }
            assertThat(authorizationByMethod).containsEntry("ListModels", "Bearer nsk_client_test_key")
                    .containsEntry("Stream", "Bearer nsk_client_test_key");

            anonymous.listModels();
            assertThat(authorizationByMethod).containsEntry("ListModels", "null");
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

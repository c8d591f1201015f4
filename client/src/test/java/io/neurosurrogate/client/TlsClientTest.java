package io.neurosurrogate.client;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK reaches a gateway whose port speaks TLS when given the certificate to trust, and only then. */
class TlsClientTest {
    private static final char[] PASSWORD = "client-tls-test".toCharArray();

    @Test
    void aClientTrustingTheGatewaysCertificateIsServedOverTlsAndAPlaintextOneIsNot(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("gateway.p12");
        Path pem = dir.resolve("gateway.crt");
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=gateway",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "gateway", "-keystore", store.toString(), "-storepass", new String(PASSWORD),
                "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(kmf)).build())
                .addService(new NeuroSurrogateGrpc.NeuroSurrogateImplBase() {
                    @Override
                    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
                        out.onNext(ListModelsResponse.newBuilder().addModels(ModelVersion.newBuilder().setModelName("tls-ok")).build());
                        out.onCompleted();
                    }
                }).build().start();
        String address = "127.0.0.1:" + server.getPort();
        try (NeuroSurrogateClient tls = new NeuroSurrogateClient(address, "k", pem);
             NeuroSurrogateClient plain = new NeuroSurrogateClient(address, "k")) {
            assertThat(tls.listModels()).extracting(ModelVersion::getModelName).containsExactly("tls-ok");
            assertThatThrownBy(() -> plain.stub().withDeadlineAfter(10, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> new NeuroSurrogateClient(address, "k", dir.resolve("missing.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }
}

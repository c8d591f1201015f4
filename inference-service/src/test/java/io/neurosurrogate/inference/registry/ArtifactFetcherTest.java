package io.neurosurrogate.inference.registry;

import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.inference.registry.ArtifactFetcher.ArtifactException;
import io.neurosurrogate.inference.testing.FakeTrainer;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactFetcherTest {
    private final FakeTrainer trainer = FakeTrainer.start();
    private final byte[] onnx = TinySurrogate.withOffset(-70f).onnx();

    @TempDir
    Path cache;

    @AfterEach
    void stop() throws InterruptedException {
        trainer.close();
    }

    @Test
    void verifiedArtifactLandsInTheCacheUnderModelAndVersion() throws Exception {
        trainer.serve("iaf", 1, onnx);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);

        Path file = fetcher.fetch(version("iaf", 1, Sha256.of(onnx), onnx.length));

        assertThat(file).isEqualTo(cache.resolve("iaf/1/model.onnx").toAbsolutePath());
        assertThat(Files.readAllBytes(file)).isEqualTo(onnx);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void verifiedCachedCopyIsReusedWithoutAskingTheTrainer() throws Exception {
        trainer.serve("iaf", 1, onnx);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);
        ModelVersion v = version("iaf", 1, Sha256.of(onnx), onnx.length);
        fetcher.fetch(v);
        fetcher.fetch(v);
        assertThat(trainer.fetches()).isEqualTo(1);
    }

    @Test
    void sha256MismatchIsRejectedAndLeavesNothingInTheCache() throws Exception {
        trainer.serve("iaf", 1, onnx);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);
        String otherSha = Sha256.of("something else".getBytes());

        assertThatThrownBy(() -> fetcher.fetch(version("iaf", 1, otherSha, onnx.length)))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("sha256");
        Path dir = cache.resolve("iaf/1");
        assertThat(Files.exists(dir) ? Files.list(dir).toList() : java.util.List.of()).isEmpty();
    }

    @Test
    void tamperedBytesWithTheAnnouncedSizeAreRejected() throws Exception {
        byte[] tampered = onnx.clone();
        tampered[tampered.length / 2] ^= 1;
        trainer.serve("iaf", 1, tampered);
        // the trainer's own sha256 header matches its bytes; only the event's digest exposes the change
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);

        assertThatThrownBy(() -> fetcher.fetch(version("iaf", 1, Sha256.of(onnx), onnx.length)))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining(Sha256.of(onnx));
        assertThat(cache.resolve("iaf/1/model.onnx")).doesNotExist();
    }

    @Test
    void alteredBytesAreCaughtByOurOwnDigestWhenTheTrainerAnnouncesNone() throws Exception {
        byte[] tampered = onnx.clone();
        tampered[10] ^= 1;
        trainer.serve("iaf", 1, tampered);
        trainer.announceSha256(false);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);

        assertThatThrownBy(() -> fetcher.fetch(version("iaf", 1, Sha256.of(onnx), onnx.length)))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("sha256 of the received bytes is " + Sha256.of(tampered));
        assertThat(cache.resolve("iaf/1/model.onnx")).doesNotExist();
    }

    @Test
    void truncatedArtifactIsRejected() throws Exception {
        trainer.serve("iaf", 1, java.util.Arrays.copyOf(onnx, onnx.length - 10));
        trainer.announceSha256(false);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);

        assertThatThrownBy(() -> fetcher.fetch(version("iaf", 1, Sha256.of(onnx), onnx.length)))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("bytes");
        assertThat(cache.resolve("iaf/1/model.onnx")).doesNotExist();
    }

    @Test
    void unreachableTrainerIsAnArtifactExceptionNamingTheModel() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(5), 1 << 20);
        ModelVersion v = version("iaf", 2, Sha256.of(onnx), onnx.length).toBuilder().setTrainerAddress("127.0.0.1:" + closedPort).build();

        assertThatThrownBy(() -> fetcher.fetch(v))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("model 'iaf' version 2")
                .hasMessageContaining("UNAVAILABLE");
    }

    @Test
    void modelNameThatWouldEscapeTheCacheIsRefused() {
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(5), 1 << 20);
        assertThatThrownBy(() -> fetcher.fetch(version("../etc", 1, Sha256.of(onnx), onnx.length)))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void stepGraphLandsBesideModelOnnxVerifiedByTheTrainersDigestAndIsReused() throws Exception {
        byte[] step = TinySurrogate.withStepGraph(-70f).stepOnnx();
        trainer.serveFile("iaf", 1, "model.step.onnx", step);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);
        ModelVersion v = version("iaf", 1, Sha256.of(onnx), onnx.length);

        Path file = fetcher.fetchFile(v, "model.step.onnx");
        fetcher.fetchFile(v, "model.step.onnx");

        assertThat(file).isEqualTo(cache.resolve("iaf/1/model.step.onnx").toAbsolutePath());
        assertThat(Files.readAllBytes(file)).isEqualTo(step);
        assertThat(trainer.fetches()).isEqualTo(1);
    }

    @Test
    void stepGraphWithoutADigestFromTheTrainerIsRefused() throws Exception {
        trainer.serveFile("iaf", 1, "model.step.onnx", TinySurrogate.withStepGraph(-70f).stepOnnx());
        trainer.announceSha256(false);
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(10), 1 << 20);

        assertThatThrownBy(() -> fetcher.fetchFile(version("iaf", 1, Sha256.of(onnx), onnx.length), "model.step.onnx"))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("file 'model.step.onnx'")
                .hasMessageContaining("no sha256");
        assertThat(cache.resolve("iaf/1/model.step.onnx")).doesNotExist();
    }

    @Test
    void fileNameThatWouldEscapeTheVersionDirectoryIsRefused() {
        ArtifactFetcher fetcher = new ArtifactFetcher(cache, Duration.ofSeconds(5), 1 << 20);
        assertThatThrownBy(() -> fetcher.fetchFile(version("iaf", 1, Sha256.of(onnx), onnx.length), "../model.onnx"))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("must match");
    }

    private ModelVersion version(String name, int v, String sha, long size) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(v).setSha256(sha).setSizeBytes(size)
                .setTrainerAddress(trainer.address()).build();
    }
}

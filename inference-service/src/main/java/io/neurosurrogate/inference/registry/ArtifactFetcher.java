package io.neurosurrogate.inference.registry;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.inference.InferenceConfig;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Brings a model version's ONNX file into the local cache ({@code <cache>/<model>/<version>/model.onnx})
 * from the trainer's {@code FetchArtifact} stream. The bytes go to a temporary file first; only when
 * size and sha256 match the model event is it renamed into place (atomically), so the cache never
 * holds an unverified file under its final name.
 */
@Singleton
public class ArtifactFetcher {
    private static final Logger LOG = Logger.getLogger(ArtifactFetcher.class);
    /** The trainer's model-name rule; also keeps names from escaping the cache directory. */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path cacheDir;
    private final Duration timeout;
    private final int maxMessageBytes;

    @Inject
    public ArtifactFetcher(InferenceConfig config) {
        this(config.cacheDir(), config.fetch().timeout(), config.fetch().maxMessageBytes());
    }

    public ArtifactFetcher(Path cacheDir, Duration timeout, int maxMessageBytes) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.timeout = timeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Where a verified artifact of this version lives. */
    public Path cachedPath(ModelVersion version) {
        if (!MODEL_NAME.matcher(version.getModelName()).matches() || version.getModelName().contains("..")) {
            throw new IllegalArgumentException("model name '" + version.getModelName() + "' does not match [a-z0-9][a-z0-9._-]*");
        }
        if (version.getVersion() < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version.getVersion());
        }
        return cacheDir.resolve(version.getModelName()).resolve(Integer.toString(version.getVersion())).resolve("model.onnx");
    }

    /**
     * Returns the path of a verified copy: the cached file when it still matches the event's sha256,
     * else a fresh download.
     *
     * @throws ArtifactException on any transport, size or digest problem (nothing is left in the cache)
     */
    public Path fetch(ModelVersion version) throws ArtifactException {
        String label = "model '" + version.getModelName() + "' version " + version.getVersion();
        Path target;
        try {
            target = cachedPath(version);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(label + ": " + e.getMessage(), e);
        }
        String expectedSha = version.getSha256().toLowerCase();
        if (expectedSha.isEmpty()) {
            throw new ArtifactException(label + ": the model event carries no sha256; refusing an unverifiable artifact");
        }
        if (version.getTrainerAddress().isBlank()) {
            throw new ArtifactException(label + ": the model event carries no trainer_address");
        }
        try {
            if (Files.isRegularFile(target) && Files.size(target) == version.getSizeBytes()
                    && Sha256.of(target).equals(expectedSha)) {
                LOG.infof("%s: using the verified cached artifact %s", label, target);
                return target;
            }
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(target.getParent(), "model.onnx.", ".part");
            try {
                download(version, part, expectedSha, label);
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return target;
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new ArtifactException(label + ": cache I/O failed under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private void download(ModelVersion version, Path part, String expectedSha, String label) throws IOException, ArtifactException {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(version.getTrainerAddress())
                .usePlaintext()
                .maxInboundMessageSize(maxMessageBytes)
                .build();
        long written = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            Iterator<ArtifactChunk> chunks = TrainerServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .fetchArtifact(FetchArtifactRequest.newBuilder()
                            .setModelName(version.getModelName())
                            .setVersion(version.getVersion())
                            .build());
            while (chunks.hasNext()) {
                ArtifactChunk chunk = chunks.next();
                if (written == 0 && !chunk.getSha256().isEmpty() && !chunk.getSha256().equalsIgnoreCase(expectedSha)) {
                    throw new ArtifactException(label + ": trainer " + version.getTrainerAddress() + " serves sha256 "
                            + chunk.getSha256() + ", the model event says " + expectedSha);
                }
                if (chunk.getOffset() != written) {
                    throw new ArtifactException(label + ": chunk at offset " + chunk.getOffset() + ", expected " + written);
                }
                if (chunk.getTotalSize() != 0 && chunk.getTotalSize() != version.getSizeBytes()) {
                    throw new ArtifactException(label + ": trainer reports " + chunk.getTotalSize()
                            + " bytes, the model event says " + version.getSizeBytes());
                }
                written += chunk.getData().size();
                if (written > version.getSizeBytes()) {
                    throw new ArtifactException(label + ": received more than the announced " + version.getSizeBytes() + " bytes");
                }
                chunk.getData().writeTo(out);
            }
        } catch (StatusRuntimeException e) {
            throw new ArtifactException(label + ": FetchArtifact from " + version.getTrainerAddress() + " failed: " + e.getStatus(), e);
        } finally {
            channel.shutdownNow();
        }
        if (written != version.getSizeBytes()) {
            throw new ArtifactException(label + ": received " + written + " bytes, the model event says " + version.getSizeBytes());
        }
        String actual = Sha256.of(part);
        if (!actual.equals(expectedSha)) {
            throw new ArtifactException(label + ": sha256 of the received bytes is " + actual + ", the model event says " + expectedSha);
        }
    }

    /** The artifact could not be fetched or did not verify. */
    public static final class ArtifactException extends Exception {
        public ArtifactException(String message) {
            super(message);
        }

        public ArtifactException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

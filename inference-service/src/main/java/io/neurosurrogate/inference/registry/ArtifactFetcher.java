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
import java.nio.charset.StandardCharsets;
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
 * holds an unverified file under its final name. Other files of a version (the step graph) are
 * fetched the same way into the same directory ({@link #fetchFile}).
 */
@Singleton
public class ArtifactFetcher {
    private static final Logger LOG = Logger.getLogger(ArtifactFetcher.class);
    /** The trainer's model-name rule; also keeps names from escaping the cache directory. */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /** The trainer's report-file name rule (ModelStore). */
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9_.-]{1,128}");
    private static final String MODEL_FILE = "model.onnx";
    private static final String DIGEST_SUFFIX = ".sha256";

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
        return cacheDir.resolve(version.getModelName()).resolve(Integer.toString(version.getVersion())).resolve(MODEL_FILE);
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
            downloadInto(target, version, "", expectedSha, version.getSizeBytes(), label);
            return target;
        } catch (IOException e) {
            throw new ArtifactException(label + ": cache I/O failed under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings another file of the version (a report file such as the step graph) into the cache beside
     * model.onnx. The model event has no digest for it, so the trainer's sha256 (first chunk) is required
     * and checked against the bytes; it is kept as {@code <file>.sha256} so that a cached copy can be
     * reused after a restart without asking the trainer.
     *
     * @throws ArtifactException on a bad name, or any transport, size or digest problem
     */
    public Path fetchFile(ModelVersion version, String file) throws ArtifactException {
        String label = "model '" + version.getModelName() + "' version " + version.getVersion() + " file '" + file + "'";
        Path target;
        try {
            target = cachedFile(version, file);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(label + ": " + e.getMessage(), e);
        }
        if (version.getTrainerAddress().isBlank()) {
            throw new ArtifactException(label + ": the model event carries no trainer_address");
        }
        Path digest = target.resolveSibling(file + DIGEST_SUFFIX);
        try {
            if (Files.isRegularFile(target) && Files.isRegularFile(digest)
                    && Sha256.of(target).equals(Files.readString(digest, StandardCharsets.US_ASCII).trim())) {
                LOG.infof("%s: using the verified cached copy %s", label, target);
                return target;
            }
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(digest);
            String sha = downloadInto(target, version, file, null, -1, label);
            Files.writeString(digest, sha + "\n", StandardCharsets.US_ASCII);
            return target;
        } catch (IOException e) {
            throw new ArtifactException(label + ": cache I/O failed under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** Where {@code file} of this version lives: beside model.onnx. */
    public Path cachedFile(ModelVersion version, String file) {
        if (file == null || !FILE_NAME.matcher(file).matches() || file.equals(".") || file.equals("..")
                || file.equals(MODEL_FILE) || file.endsWith(DIGEST_SUFFIX)) {
            throw new IllegalArgumentException("file name '" + file + "' must match [a-z0-9_.-]{1,128} and not be "
                    + MODEL_FILE + ", . or .. or end in " + DIGEST_SUFFIX);
        }
        return cachedPath(version).resolveSibling(file);
    }

    /**
     * Downloads into a temporary file beside {@code target} and renames it into place once verified.
     *
     * @param expectedSha null: the trainer's announced digest is required and used
     * @param expectedSize -1: the trainer's announced total size is used
     * @return the verified sha256
     */
    private String downloadInto(Path target, ModelVersion version, String file, String expectedSha, long expectedSize,
                                String label) throws IOException, ArtifactException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            String sha = download(version, file, part, expectedSha, expectedSize, label);
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return sha;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private String download(ModelVersion version, String file, Path part, String expectedSha, long expectedSize, String label)
            throws IOException, ArtifactException {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(version.getTrainerAddress())
                .usePlaintext()
                .maxInboundMessageSize(maxMessageBytes)
                .build();
        String sha = expectedSha;
        long size = expectedSize;
        long written = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            Iterator<ArtifactChunk> chunks = TrainerServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .fetchArtifact(FetchArtifactRequest.newBuilder()
                            .setModelName(version.getModelName())
                            .setVersion(version.getVersion())
                            .setFile(file)
                            .build());
            boolean first = true;
            while (chunks.hasNext()) {
                ArtifactChunk chunk = chunks.next();
                if (first) {
                    first = false;
                    if (sha == null) {
                        if (chunk.getSha256().isEmpty()) {
                            throw new ArtifactException(label + ": trainer " + version.getTrainerAddress()
                                    + " announces no sha256; refusing an unverifiable file");
                        }
                        sha = chunk.getSha256().toLowerCase();
                    } else if (!chunk.getSha256().isEmpty() && !chunk.getSha256().equalsIgnoreCase(sha)) {
                        throw new ArtifactException(label + ": trainer " + version.getTrainerAddress() + " serves sha256 "
                                + chunk.getSha256() + ", the model event says " + sha);
                    }
                    if (size < 0) {
                        size = chunk.getTotalSize();
                    }
                }
                if (chunk.getOffset() != written) {
                    throw new ArtifactException(label + ": chunk at offset " + chunk.getOffset() + ", expected " + written);
                }
                if (chunk.getTotalSize() != 0 && chunk.getTotalSize() != size) {
                    throw new ArtifactException(label + ": trainer reports " + chunk.getTotalSize()
                            + " bytes, expected " + size);
                }
                written += chunk.getData().size();
                if (written > size) {
                    throw new ArtifactException(label + ": received more than the announced " + size + " bytes");
                }
                chunk.getData().writeTo(out);
            }
        } catch (StatusRuntimeException e) {
            throw new ArtifactException(label + ": FetchArtifact from " + version.getTrainerAddress() + " failed: " + e.getStatus(), e);
        } finally {
            channel.shutdownNow();
        }
        if (sha == null) {
            throw new ArtifactException(label + ": trainer " + version.getTrainerAddress() + " sent nothing");
        }
        if (written != size) {
            throw new ArtifactException(label + ": received " + written + " bytes, " + (expectedSize < 0 ? "the trainer announced " : "the model event says ") + size);
        }
        String actual = Sha256.of(part);
        if (!actual.equals(sha)) {
            throw new ArtifactException(label + ": sha256 of the received bytes is " + actual + ", "
                    + (expectedSha == null ? "the trainer announced " : "the model event says ") + sha);
        }
        return actual;
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

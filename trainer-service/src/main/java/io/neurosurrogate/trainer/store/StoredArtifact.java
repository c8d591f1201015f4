package io.neurosurrogate.trainer.store;

import io.neurosurrogate.proto.v1.ModelVersion;

import java.nio.file.Path;

/**
 * A file of a stored model version (its ONNX model or a report file), for streaming it to a caller,
 * with the sha256 and size of that file.
 */
public record StoredArtifact(ModelVersion version, Path file, String sha256, long sizeBytes) {

    /** The version's ONNX model, whose sha256 and size the version itself records. */
    public StoredArtifact(ModelVersion version, Path file) {
        this(version, file, version.getSha256(), version.getSizeBytes());
    }
}

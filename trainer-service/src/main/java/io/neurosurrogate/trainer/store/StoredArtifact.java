package io.neurosurrogate.trainer.store;

import io.neurosurrogate.proto.v1.ModelVersion;

import java.nio.file.Path;

/** A stored model version and the path of its ONNX file, for streaming it to a caller. */
public record StoredArtifact(ModelVersion version, Path file) {
}

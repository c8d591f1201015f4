package io.neurosurrogate.gateway.fakes;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsResponse;
import io.neurosurrogate.proto.v1.ModelVersion;

import java.util.List;

/**
 * How a trainer answers about the model versions it stores, shared by {@link FakeTrainer} and
 * {@link FakeTrainerReplica} so that both list and stream exactly as the trainer does.
 */
final class StoredModels {
    private StoredModels() {
    }

    /** The stored versions of the model asked for, or all, as the trainer lists them. */
    static void list(List<ModelVersion> stored, ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
        for (ModelVersion m : stored) {
            if (request.getModelName().isEmpty() || request.getModelName().equals(m.getModelName())) {
                response.addModels(m);
            }
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    /** Streams {@code data} in pieces of {@link FakeTrainer#ARTIFACT_CHUNK_BYTES}, the first carrying the SHA-256 of the whole. */
    static void stream(byte[] data, StreamObserver<ArtifactChunk> out) {
        for (int offset = 0; offset < data.length; offset += FakeTrainer.ARTIFACT_CHUNK_BYTES) {
            ArtifactChunk.Builder chunk = ArtifactChunk.newBuilder().setOffset(offset).setTotalSize(data.length)
                    .setData(ByteString.copyFrom(data, offset, Math.min(FakeTrainer.ARTIFACT_CHUNK_BYTES, data.length - offset)));
            if (offset == 0) {
                chunk.setSha256(Sha256.of(data));
            }
            out.onNext(chunk.build());
        }
        out.onCompleted();
    }
}

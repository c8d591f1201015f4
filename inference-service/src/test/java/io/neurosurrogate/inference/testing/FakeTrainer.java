package io.neurosurrogate.inference.testing;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.proto.v1.ArtifactChunk;
import io.neurosurrogate.proto.v1.FetchArtifactRequest;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of our trainer's FetchArtifact contract on a real grpc-java server (loopback,
 * plaintext): artifacts are streamed in small chunks with offset, total size and, first, the sha256.
 */
public final class FakeTrainer extends TrainerServiceGrpc.TrainerServiceImplBase implements AutoCloseable {
    private static final int CHUNK = 1000;

    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    private volatile boolean announceSha256 = true;
    private final AtomicInteger fetches = new AtomicInteger();
    private final Server server;

    private FakeTrainer() throws IOException {
        server = ServerBuilder.forPort(0).addService(this).build().start();
    }

    public static FakeTrainer start() {
        try {
            return new FakeTrainer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake trainer", e);
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    public void serve(String model, int version, byte[] onnx) {
        serveFile(model, version, "", onnx);
    }

    /** Serves another file of the version (FetchArtifactRequest.file), e.g. the step graph. */
    public void serveFile(String model, int version, String file, byte[] bytes) {
        artifacts.put(model + "/" + version + "/" + file, bytes.clone());
    }

    /** A model whose card names a step graph: model.onnx and the step graph beside it. */
    public void serve(String model, int version, TinySurrogate tiny) {
        serve(model, version, tiny.onnx());
        if (!tiny.card().getStepGraphFile().isEmpty()) {
            serveFile(model, version, tiny.card().getStepGraphFile(), tiny.stepOnnx());
        }
        if (!tiny.card().getEventsGraphFile().isEmpty()) {
            serveFile(model, version, tiny.card().getEventsGraphFile(), tiny.eventsOnnx());
        }
    }

    /** Off: chunks carry no sha256, so only the receiver's own digest can catch altered bytes. */
    public void announceSha256(boolean announce) {
        this.announceSha256 = announce;
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> response) {
        fetches.incrementAndGet();
        String key = request.getModelName() + "/" + request.getVersion() + "/" + request.getFile();
        byte[] data = artifacts.get(key);
        if (data == null) {
            response.onError(Status.NOT_FOUND.withDescription("no artifact " + key).asRuntimeException());
            return;
        }
        for (int off = 0; off < data.length; off += CHUNK) {
            ArtifactChunk.Builder chunk = ArtifactChunk.newBuilder()
                    .setData(ByteString.copyFrom(data, off, Math.min(CHUNK, data.length - off)))
                    .setOffset(off)
                    .setTotalSize(data.length);
            if (off == 0 && announceSha256) {
                chunk.setSha256(Sha256.of(data));
            }
            response.onNext(chunk.build());
        }
        response.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}

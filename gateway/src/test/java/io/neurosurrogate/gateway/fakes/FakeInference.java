package io.neurosurrogate.gateway.fakes;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsResponse;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.NeuronPrediction;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * InferenceService double: serves iaf-1x1 versions 1 and 2 (80 exc + 20 inh synapses) until told otherwise.
 * Its Stream ({@link FakeStream}) answers a step with spike_prob = sequence_id + step index.
 */
public final class FakeInference extends InferenceServiceGrpc.InferenceServiceImplBase {
    public static final List<ModelVersion> DEFAULT_LOADED = List.of(iaf(1), iaf(2));

    public final List<PredictRequest> predicted = new CopyOnWriteArrayList<>();
    /** Every Stream call, in the order they started. */
    public final List<FakeStream> streams = new CopyOnWriteArrayList<>();
    public final AtomicReference<List<ModelVersion>> loaded = new AtomicReference<>(DEFAULT_LOADED);
    public final AtomicInteger listCalls = new AtomicInteger();

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
        predicted.add(request);
        PredictResponse.Builder response = PredictResponse.newBuilder().setModelName(request.getModelName())
                .setVersion(request.getVersion().matches("[0-9]+") ? Integer.parseInt(request.getVersion()) : 2);
        for (int n = 0; n < request.getBatch(); n++) {
            NeuronPrediction.Builder neuron = response.addNeuronsBuilder();
            for (int t = 0; t < request.getTimeMs(); t++) {
                neuron.addSpikeProb(0.01f).addSomaMv(-70f);
            }
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
        FakeStream stream = new FakeStream(loaded.get(), (ServerCallStreamObserver<StreamResponse>) out);
        streams.add(stream);
        return stream;
    }

    /** The Stream call whose open request had {@code requestId}; fails after 10 s without one. */
    public FakeStream streamOpenedBy(long requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (FakeStream s : streams) {
                if (!s.requests.isEmpty() && s.requests.get(0).getRequestId() == requestId) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no stream opened by request_id " + requestId);
    }

    /** Whether any Stream call received a request with {@code requestId}. */
    public boolean streamed(long requestId) {
        return streams.stream().flatMap(s -> s.requests.stream()).anyMatch(r -> r.getRequestId() == requestId);
    }

    @Override
    public void listLoadedModels(ListLoadedModelsRequest request, StreamObserver<ListLoadedModelsResponse> out) {
        listCalls.incrementAndGet();
        out.onNext(ListLoadedModelsResponse.newBuilder().addAllModels(loaded.get()).build());
        out.onCompleted();
    }

    public static ModelVersion iaf(int version) {
        return served("iaf-1x1", version, 80, 20);
    }

    public static ModelVersion served(String name, int version, int nExc, int nInh) {
        return ModelVersion.newBuilder().setModelName(name).setVersion(version)
                .setCard(ModelCard.newBuilder().setNeuronModel("iaf").setNExc(nExc).setNInh(nInh)).build();
    }
}

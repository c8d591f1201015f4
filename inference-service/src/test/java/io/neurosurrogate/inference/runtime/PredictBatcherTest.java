package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.inference.PredictRequests;
import io.neurosurrogate.inference.registry.ModelRegistry;
import io.neurosurrogate.inference.testing.Spikes;
import io.neurosurrogate.inference.testing.TinySurrogate;
import io.neurosurrogate.proto.v1.PredictRequest;
import io.neurosurrogate.proto.v1.PredictResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/** Dynamic batching of Predict on the real ONNX Runtime, checked against unbatched runs of the same inputs. */
class PredictBatcherTest {
    /** Long enough that a group only runs when it is full: the tests decide when. */
    private static final Duration FOREVER = Duration.ofMinutes(5);
    private static final int TIME = 40;

    private final OnnxModelLoader loader = new OnnxModelLoader(1);
    private final ModelRegistry registry = new ModelRegistry();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<LoadedModel> loaded = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        callers.shutdownNow();
        loaded.forEach(LoadedModel::close);
    }

    @Test
    void concurrentRequestsShareRunsAndEachCallerGetsExactlyItsUnbatchedRows() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(256, Duration.ofMillis(50));
        List<PredictRequest> requests = randomRequests("1", 8, TIME, 11);

        List<PredictResponse> responses = predictTogether(new Predictor(registry, batcher), requests);

        for (int i = 0; i < requests.size(); i++) {
            assertMatchesUnbatched(model, requests.get(i), responses.get(i));
        }
        assertThat(batcher.runs()).isLessThan(requests.size());
        assertThat(batcher.mergedRequests()).isGreaterThanOrEqualTo(2);
        assertThat(batcher.queued()).isZero();
    }

    @Test
    void groupRunsOnceAsSoonAsItHoldsMaxBatchNeurons() throws Exception {
        LoadedModel model = register(1, -70f);
        List<PredictRequest> requests = randomRequests("1", 8, TIME, 12);
        int neurons = requests.stream().mapToInt(PredictRequest::getBatch).sum();
        PredictBatcher batcher = new PredictBatcher(neurons, FOREVER);

        List<PredictResponse> responses = predictTogether(new Predictor(registry, batcher), requests);

        for (int i = 0; i < requests.size(); i++) {
            assertMatchesUnbatched(model, requests.get(i), responses.get(i));
            assertThat(responses.get(i).getComputeMs()).isEqualTo(responses.get(0).getComputeMs());
        }
        assertThat(batcher.runs()).isEqualTo(1);
        assertThat(batcher.mergedRequests()).isEqualTo(requests.size());
        assertThat(batcher.largestRun()).isEqualTo(neurons);
    }

    @Test
    void noRunIsLargerThanMaxBatch() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(4, Duration.ofMillis(20));
        List<PredictRequest> requests = randomRequests("1", 16, TIME, 13);

        List<PredictResponse> responses = predictTogether(new Predictor(registry, batcher), requests);

        for (int i = 0; i < requests.size(); i++) {
            assertMatchesUnbatched(model, requests.get(i), responses.get(i));
        }
        assertThat(batcher.largestRun()).isLessThanOrEqualTo(4);
        assertThat(batcher.queued()).isZero();
    }

    @Test
    void requestOfMaxBatchOrMoreRunsAloneWithoutWaitingForTheOpenGroup() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(4, FOREVER);
        Predictor predictor = new Predictor(registry, batcher);
        PredictRequest small = request("1", 1, TIME, 21);
        Future<PredictResponse> waiting = callers.submit(() -> predictor.predict(small));
        awaitQueued(batcher, 1);

        PredictRequest large = request("1", 5, TIME, 22);
        PredictResponse alone = callers.submit(() -> predictor.predict(large)).get(30, TimeUnit.SECONDS);

        assertMatchesUnbatched(model, large, alone);
        assertThat(batcher.queued()).isEqualTo(1);
        assertThat(batcher.runs()).isEqualTo(1);
        assertThat(batcher.largestRun()).isEqualTo(5);
        assertThat(waiting.isDone()).isFalse();

        PredictRequest filler = request("1", 3, TIME, 23);
        PredictResponse filled = predictor.predict(filler);
        assertMatchesUnbatched(model, small, waiting.get(30, TimeUnit.SECONDS));
        assertMatchesUnbatched(model, filler, filled);
        assertThat(batcher.runs()).isEqualTo(2);
        assertThat(batcher.mergedRequests()).isEqualTo(2);
    }

    @Test
    void requestsWithDifferentTimeMsAreNeverMerged() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(2, FOREVER);
        Predictor predictor = new Predictor(registry, batcher);
        PredictRequest a20 = request("1", 1, 20, 31);
        PredictRequest b30 = request("1", 1, 30, 32);
        Future<PredictResponse> a = callers.submit(() -> predictor.predict(a20));
        awaitQueued(batcher, 1);
        Future<PredictResponse> b = callers.submit(() -> predictor.predict(b30));
        // merged, the two would fill a group of 2 and run; apart, both keep waiting
        awaitQueued(batcher, 2);
        assertThat(batcher.runs()).isZero();

        PredictRequest c20 = request("1", 1, 20, 33);
        PredictRequest d30 = request("1", 1, 30, 34);
        assertMatchesUnbatched(model, c20, predictor.predict(c20));
        assertMatchesUnbatched(model, d30, predictor.predict(d30));
        assertMatchesUnbatched(model, a20, a.get(30, TimeUnit.SECONDS));
        assertMatchesUnbatched(model, b30, b.get(30, TimeUnit.SECONDS));
        assertThat(batcher.runs()).isEqualTo(2);
        assertThat(batcher.largestRun()).isEqualTo(2);
    }

    @Test
    void requestsForDifferentVersionsAreNeverMerged() throws Exception {
        LoadedModel v1 = register(1, -70f);
        LoadedModel v2 = register(2, -60f);
        PredictBatcher batcher = new PredictBatcher(2, FOREVER);
        Predictor predictor = new Predictor(registry, batcher);
        PredictRequest first1 = request("1", 1, TIME, 41);
        PredictRequest first2 = request("2", 1, TIME, 42);
        Future<PredictResponse> a = callers.submit(() -> predictor.predict(first1));
        awaitQueued(batcher, 1);
        Future<PredictResponse> b = callers.submit(() -> predictor.predict(first2));
        awaitQueued(batcher, 2);
        assertThat(batcher.runs()).isZero();

        PredictRequest second1 = request("1", 1, TIME, 43);
        PredictRequest second2 = request("2", 1, TIME, 44);
        PredictResponse r1 = predictor.predict(second1);
        PredictResponse r2 = predictor.predict(second2);
        assertMatchesUnbatched(v1, first1, a.get(30, TimeUnit.SECONDS));
        assertMatchesUnbatched(v2, first2, b.get(30, TimeUnit.SECONDS));
        assertMatchesUnbatched(v1, second1, r1);
        assertMatchesUnbatched(v2, second2, r2);
        assertThat(r1.getVersion()).isEqualTo(1);
        assertThat(r2.getVersion()).isEqualTo(2);
        assertThat(batcher.runs()).isEqualTo(2);
    }

    @Test
    void failedMergedRunFailsEveryMemberWithNotFoundAndTheBatcherKeepsWorking() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(4, FOREVER);
        Predictor predictor = new Predictor(registry, batcher);
        List<Future<PredictResponse>> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PredictRequest r = request("1", 1, TIME, 50 + i);
            members.add(callers.submit(() -> predictor.predict(r)));
        }
        awaitQueued(batcher, 3);
        // unloaded under the waiting group (still resolvable, so the fourth request joins and fills it)
        model.close();
        members.add(callers.submit(() -> predictor.predict(request("1", 1, TIME, 53))));

        for (Future<PredictResponse> member : members) {
            assertThatThrownBy(() -> member.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
                        assertThat(e).hasMessageContaining("model 'tiny' version 1 was unloaded");
                    });
        }
        assertThat(batcher.queued()).isZero();

        LoadedModel next = register(2, -70f);
        List<PredictRequest> after = List.of(request("2", 2, TIME, 54), request("2", 2, TIME, 55));
        List<PredictResponse> responses = predictTogether(predictor, after);
        assertMatchesUnbatched(next, after.get(0), responses.get(0));
        assertMatchesUnbatched(next, after.get(1), responses.get(1));
        assertThat(batcher.mergedRequests()).isEqualTo(2);
    }

    @Test
    void badRequestFailsAloneWithoutJoiningOrDisturbingTheOpenGroup() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = new PredictBatcher(2, FOREVER);
        Predictor predictor = new Predictor(registry, batcher);
        PredictRequest good = request("1", 1, TIME, 61);
        Future<PredictResponse> waiting = callers.submit(() -> predictor.predict(good));
        awaitQueued(batcher, 1);

        PredictRequest wrongWidth = good.toBuilder().setSynapses(TinySurrogate.SYNAPSES + 1)
                .setDenseSpikes(Spikes.dense(Spikes.random(1, TinySurrogate.SYNAPSES + 1, TIME, 0.2, 62))).build();
        assertThatThrownBy(() -> predictor.predict(wrongWidth))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID_ARGUMENT));
        assertThat(batcher.queued()).isEqualTo(1);

        PredictRequest filler = request("1", 1, TIME, 63);
        assertMatchesUnbatched(model, filler, predictor.predict(filler));
        assertMatchesUnbatched(model, good, waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void disabledBatchingRunsOncePerRequest() throws Exception {
        LoadedModel model = register(1, -70f);
        PredictBatcher batcher = PredictBatcher.disabled();
        List<PredictRequest> requests = randomRequests("1", 8, TIME, 71);

        List<PredictResponse> responses = predictTogether(new Predictor(registry, batcher), requests);

        for (int i = 0; i < requests.size(); i++) {
            assertMatchesUnbatched(model, requests.get(i), responses.get(i));
        }
        assertThat(batcher.enabled()).isFalse();
        assertThat(batcher.runs()).isEqualTo(requests.size());
        assertThat(batcher.mergedRequests()).isZero();
        assertMatchesUnbatched(model, requests.get(0), new Predictor(registry).predict(requests.get(0)));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new PredictBatcher(0, Duration.ofMillis(2))).hasMessageContaining("max-batch must be >= 1");
        assertThatThrownBy(() -> new PredictBatcher(8, Duration.ofMillis(-1))).hasMessageContaining("max-queue-delay >= 0");
    }

    private LoadedModel register(int version, float offset) throws Exception {
        TinySurrogate tiny = TinySurrogate.withOffset(offset);
        Path file = Files.write(Files.createTempFile(dir, "model", ".onnx"), tiny.onnx());
        LoadedModel model = loader.load(file, OnnxModelLoaderTest.version("tiny", version, tiny.onnx()));
        loaded.add(model);
        registry.register(model);
        return model;
    }

    private static PredictRequest request(String version, int batch, int time, long seed) {
        return Spikes.denseRequest("tiny", version, Spikes.random(batch, TinySurrogate.SYNAPSES, time, 0.3, seed)).build();
    }

    private static List<PredictRequest> randomRequests(String version, int count, int time, long seed) {
        Random rng = new Random(seed);
        List<PredictRequest> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(request(version, 1 + rng.nextInt(3), time, seed * 100 + i));
        }
        return out;
    }

    /** One thread per request, all released at once. */
    private List<PredictResponse> predictTogether(Predictor predictor, List<PredictRequest> requests) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PredictResponse>> futures = new ArrayList<>();
        for (PredictRequest r : requests) {
            futures.add(callers.submit(() -> {
                start.await();
                return predictor.predict(r);
            }));
        }
        start.countDown();
        List<PredictResponse> out = new ArrayList<>();
        for (Future<PredictResponse> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    private static void awaitQueued(PredictBatcher batcher, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batcher.queued() != requests) {
            if (System.nanoTime() > deadline) {
                fail("expected " + requests + " queued requests, have " + batcher.queued());
            }
            Thread.sleep(1);
        }
    }

    /** The response holds exactly the rows of the same input run alone, straight on the session. */
    private static void assertMatchesUnbatched(LoadedModel model, PredictRequest request, PredictResponse response) {
        int batch = request.getBatch();
        int time = request.getTimeMs();
        Prediction alone = model.run(PredictRequests.denseInput(request), batch, time);
        assertThat(response.getNeuronsCount()).isEqualTo(batch);
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < time; t++) {
                assertThat((double) response.getNeurons(n).getSpikeProb(t)).as("spike_prob[%d][%d]", n, t)
                        .isCloseTo(alone.spikeProb()[n * time + t], within(1e-6));
                assertThat((double) response.getNeurons(n).getSomaMv(t)).as("soma_mv[%d][%d]", n, t)
                        .isCloseTo(alone.somaMv()[n * time + t], within(1e-6));
            }
        }
    }
}

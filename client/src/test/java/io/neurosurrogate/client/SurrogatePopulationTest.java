package io.neurosurrogate.client;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamEnded;
import io.neurosurrogate.proto.v1.StreamOpened;
import io.neurosurrogate.proto.v1.StreamRequest;
import io.neurosurrogate.proto.v1.StreamResponse;
import io.neurosurrogate.proto.v1.StreamStarted;
import io.neurosurrogate.proto.v1.StreamStep;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The population's bookkeeping, against a server that speaks the Stream protocol with a transparent "model": a
 * neuron fires in a bin exactly when synapse 0 got an input spike in that bin, and its "voltage" is the number of input
 * spikes it got in that bin over all synapses. So every output tells where the SDK put each input: neuron, synapse,
 * time, across intervals, request splits and streams. (That real surrogates give the window's outputs when stepped is
 * checked end to end, in e2e's PipelineEndToEndTest.)
 */
class SurrogatePopulationTest {
    private static final int SYNAPSES = 5;
    private static final int MAX_SEQUENCES = 3;

    private final List<StreamStep> steps = new CopyOnWriteArrayList<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new EchoInference()).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private SurrogatePopulation population(int neurons, int maxSteps) {
        return SurrogatePopulation.open(() -> SurrogateStream.direct(channel, "echo", "latest"), neurons,
                new SurrogatePopulation.Options().recordVoltage(true).maxStepsPerRequest(maxSteps));
    }

    @Test
    void outputsLandOnTheRightNeuronAndBinAcrossIntervalsSplitsAndStreams() {
        int neurons = 7; // 3 streams of at most 3 sequences
        Random rng = new Random(7);
        List<SurrogatePopulation.InputSpike> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(new SurrogatePopulation.InputSpike(rng.nextInt(neurons), rng.nextInt(SYNAPSES), rng.nextInt(60)));
        }
        Set<SurrogatePopulation.OutputSpike> expected = new HashSet<>();
        int[][] counts = new int[neurons][60];
        Set<String> distinct = new HashSet<>();
        for (SurrogatePopulation.InputSpike s : all) {
            if (distinct.add(s.neuron() + "/" + s.synapse() + "/" + s.timeMs())) {
                counts[s.neuron()][s.timeMs()]++; // a repeated (neuron, synapse, bin) counts once
            }
            if (s.synapse() == 0) {
                expected.add(new SurrogatePopulation.OutputSpike(s.neuron(), s.timeMs()));
            }
        }

        Set<SurrogatePopulation.OutputSpike> got = new HashSet<>();
        try (SurrogatePopulation p = population(neurons, 4)) {
            assertThat(p.streams()).isEqualTo(3);
            assertThat(p.synapses()).isEqualTo(SYNAPSES);
            int[] ends = {5, 6, 17, 17, 40, 60};
            for (int end : ends) {
                int from = p.timeMs();
                List<SurrogatePopulation.InputSpike> in = all.stream().filter(s -> s.timeMs() >= from && s.timeMs() < end).toList();
                SurrogatePopulation.Interval out = p.advance(end, in);
                assertThat(out.fromMs()).isEqualTo(from);
                assertThat(out.toMs()).isEqualTo(end);
                assertThat(out.spikes()).allSatisfy(s -> assertThat(s.timeMs()).isBetween(from, end - 1));
                assertThat(out.spikes()).isSortedAccordingTo(java.util.Comparator.comparingInt(SurrogatePopulation.OutputSpike::timeMs)
                        .thenComparingInt(SurrogatePopulation.OutputSpike::neuron));
                got.addAll(out.spikes());
                for (int n = 0; n < neurons; n++) {
                    for (int t = from; t < end; t++) {
                        assertThat(out.somaMv()[n][t - from]).as("neuron %d bin %d", n, t).isEqualTo((float) counts[n][t]);
                    }
                }
            }
            assertThat(p.timeMs()).isEqualTo(60);
        }
        assertThat(got).isEqualTo(expected);
        // One message per stream per request-sized piece, carrying all of that stream's neurons.
        assertThat(steps).allSatisfy(s -> assertThat(s.getSequenceIdsCount()).isIn(3, 1));
        assertThat(steps).allSatisfy(s -> assertThat(s.getSteps()).isBetween(1, 4));
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        try (SurrogatePopulation p = population(2, 1000)) {
            p.advance(10);
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(0, SYNAPSES, 12))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synapse 5");
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(2, 0, 12))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neuron 2");
            assertThatThrownBy(() -> p.advance(20, List.of(new SurrogatePopulation.InputSpike(0, 0, 9))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the interval [10, 20)");
            assertThatThrownBy(() -> p.advance(5)).isInstanceOf(IllegalArgumentException.class);
            assertThat(p.timeMs()).isEqualTo(10);
            assertThat(p.advance(10).spikes()).isEmpty();
        }
        assertThatThrownBy(() -> population(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The Stream protocol with the transparent model described above. */
    private final class EchoInference extends InferenceServiceGrpc.InferenceServiceImplBase {
        @Override
        public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
            Set<Long> open = new HashSet<>();
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamRequest r) {
                    StreamResponse.Builder b = StreamResponse.newBuilder().setRequestId(r.getRequestId());
                    switch (r.getKindCase()) {
                        case OPEN -> b.setOpened(StreamOpened.newBuilder().setModelName("echo").setVersion(1).setSynapses(SYNAPSES)
                                .setSpikeThreshold(0.5).setMaxSequences(MAX_SEQUENCES));
                        case START -> {
                            open.addAll(r.getStart().getSequenceIdsList());
                            if (open.size() > MAX_SEQUENCES) {
                                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("max_sequences").asRuntimeException());
                                return;
                            }
                            b.setStarted(StreamStarted.newBuilder().setOpenSequences(open.size()));
                        }
                        case STEP -> {
                            StreamStep s = r.getStep();
                            steps.add(s);
                            StreamStepResult.Builder res = StreamStepResult.newBuilder().addAllSequenceIds(s.getSequenceIdsList()).setSteps(s.getSteps());
                            for (int k = 0; k < s.getSequenceIdsCount(); k++) {
                                float[] v = new float[s.getSteps()];
                                boolean[] fire = new boolean[s.getSteps()];
                                if (s.getInputsCount() > 0) {
                                    SparseNeuronInput in = s.getInputs(k);
                                    for (SynapseSpikes syn : in.getSynapsesList()) {
                                        for (int bin : syn.getBinsList()) {
                                            v[bin]++;
                                            fire[bin] |= syn.getSynapse() == 0;
                                        }
                                    }
                                }
                                int c = 0;
                                for (int t = 0; t < s.getSteps(); t++) {
                                    res.addSomaMv(v[t]).addSpikeProb(fire[t] ? 1f : 0f);
                                    if (fire[t]) {
                                        res.addSpikeSteps(t);
                                        c++;
                                    }
                                }
                                res.addSpikeCounts(c);
                            }
                            b.setStep(res);
                        }
                        case END -> b.setEnded(StreamEnded.getDefaultInstance());
                        default -> { }
                    }
                    out.onNext(b.build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }
}

package io.neurosurrogate.client;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.neurosurrogate.core.inference.SpikePacking;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server of the Stream protocol with a transparent "model", for testing what the SDK sends: a neuron fires
 * in a bin exactly when its synapse 0 got an input spike in that bin, and its "voltage" (soma_mv) is the number of
 * input spikes it got in that bin over all synapses, whether they come as inputs or packed. Records every StreamStep it receives.
 */
public final class EchoStreamServer implements AutoCloseable {
    private final int synapses;
    private final int maxSequences;
    private final List<StreamStep> steps = new CopyOnWriteArrayList<>();
    private final Server server;
    private final ManagedChannel channel;

    private EchoStreamServer(int synapses, int maxSequences) throws IOException {
        this.synapses = synapses;
        this.maxSequences = maxSequences;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Echo()).build().start();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    public static EchoStreamServer start(int synapses, int maxSequences) throws IOException {
        return new EchoStreamServer(synapses, maxSequences);
    }

    public SurrogateStream openStream() {
        return SurrogateStream.direct(channel, "echo", "latest");
    }

    public List<StreamStep> steps() {
        return steps;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Echo extends InferenceServiceGrpc.InferenceServiceImplBase {
        @Override
        public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> out) {
            Set<Long> open = new HashSet<>();
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamRequest r) {
                    StreamResponse.Builder b = StreamResponse.newBuilder().setRequestId(r.getRequestId());
                    switch (r.getKindCase()) {
                        case OPEN -> b.setOpened(StreamOpened.newBuilder().setModelName("echo").setVersion(1).setSynapses(synapses)
                                .setSpikeThreshold(0.5).setMaxSequences(maxSequences));
                        case START -> {
                            open.addAll(r.getStart().getSequenceIdsList());
                            if (open.size() > maxSequences) {
                                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("max_sequences").asRuntimeException());
                                return;
                            }
                            b.setStarted(StreamStarted.newBuilder().setOpenSequences(open.size()));
                        }
                        case STEP -> b.setStep(step(r.getStep()));
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

        private StreamStepResult step(StreamStep s) {
            steps.add(s);
            StreamStepResult.Builder res = StreamStepResult.newBuilder().addAllSequenceIds(s.getSequenceIdsList()).setSteps(s.getSteps());
            // packed spikes, [sequence][bin]: count each into its sequence's bin
            int bins = s.getSteps();
            float[][] packedCounts = new float[s.getSequenceIdsCount()][bins];
            boolean[][] packedFire = new boolean[s.getSequenceIdsCount()][bins];
            SpikePacking.Reader packed = new SpikePacking.Reader(s.getPacked(), s.getSequenceIdsCount(), bins, synapses, "step.packed");
            for (long k = packed.spikes(); k > 0; k--) {
                int synapse = packed.next();
                packedCounts[packed.group() / bins][packed.group() % bins]++;
                packedFire[packed.group() / bins][packed.group() % bins] |= synapse == 0;
            }
            packed.finish();
            for (int k = 0; k < s.getSequenceIdsCount(); k++) {
                float[] v = packedCounts[k];
                boolean[] fire = packedFire[k];
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
            return res.build();
        }
    }
}

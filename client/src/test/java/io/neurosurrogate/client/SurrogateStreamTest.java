package io.neurosurrogate.client;

import io.neurosurrogate.proto.v1.SparseNeuronInput;
import io.neurosurrogate.proto.v1.StreamStepResult;
import io.neurosurrogate.proto.v1.SynapseSpikes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SurrogateStream#stepPipelined} against {@link EchoStreamServer} (whose soma_mv per bin is the number of input
 * spikes in it): requests sent ahead of their answers come back in order, each with its own request's outputs.
 */
class SurrogateStreamTest {
    private EchoStreamServer server;

    @BeforeEach
    void start() throws IOException {
        server = EchoStreamServer.start(4, 8);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWithTheirOwnOutputs() {
        List<Long> ids = List.of(1L, 2L);
        List<Integer> steps = new ArrayList<>();
        List<List<SparseNeuronInput>> inputs = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            steps.add(3 + r);
            // request r: neuron 1 gets r spikes in bin 0 (synapses 1..r), neuron 2 one spike in its last bin
            SparseNeuronInput.Builder first = SparseNeuronInput.newBuilder();
            for (int s = 1; s <= r; s++) {
                first.addSynapses(SynapseSpikes.newBuilder().setSynapse(s % 4).addBins(0));
            }
            SparseNeuronInput second = SparseNeuronInput.newBuilder().addSynapses(SynapseSpikes.newBuilder().setSynapse(2).addBins(2 + r)).build();
            inputs.add(List.of(first.build(), second));
        }
        try (SurrogateStream s = server.openStream()) {
            s.start(ids);
            for (int inFlight : new int[]{1, 3, 10}) {
                List<StreamStepResult> results = s.stepPipelined(ids, steps, inputs, inFlight);
                assertThat(results).hasSize(7);
                for (int r = 0; r < 7; r++) {
                    StreamStepResult res = results.get(r);
                    int n = steps.get(r);
                    assertThat(res.getSteps()).as("in flight %d, request %d", inFlight, r).isEqualTo(n);
                    assertThat(res.getSomaMv(0)).as("neuron 1, bin 0").isEqualTo(r);
                    assertThat(res.getSomaMv(n + n - 1)).as("neuron 2, last bin").isEqualTo(1f);
                }
            }
            assertThatThrownBy(() -> s.stepPipelined(ids, steps, inputs.subList(0, 2), 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.stepPipelined(ids, steps, inputs, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(server.steps()).hasSize(21);
    }
}

package io.neurosurrogate.client.network;

import io.neurosurrogate.client.EchoStreamServer;
import io.neurosurrogate.client.SurrogatePopulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The network's wiring and timing, on the transparent Stream server (a neuron fires exactly in the bins where its
 * synapse 0 receives a spike): with one excitatory synapse per neuron, every excitatory connection lands on synapse 0,
 * so every spike of an excitatory neuron must reappear at each of its targets exactly one delay later.
 */
class SurrogateNetworkTest {
    private static final int N_EXC = 1;
    private static final int N_INH = 3;
    private EchoStreamServer server;

    @BeforeEach
    void start() throws IOException {
        server = EchoStreamServer.start(N_EXC + N_INH, 16);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private SurrogateNetwork.Result run(SurrogateNetwork network, int neurons) {
        try (SurrogatePopulation p = SurrogatePopulation.open(server::openStream, neurons, new SurrogatePopulation.Options())) {
            return network.run(p, line -> { });
        }
    }

    @Test
    void spikesPropagateAlongEveryConnectionWithItsDelay() {
        // Sparse background so that chains of recurrent spikes are visible; 40 neurons over 3 streams.
        SurrogateNetwork.Settings s = new SurrogateNetwork.Settings(40, 300, 3, 7, 2, 0.25, 1.0, 20.0, 11, false);
        SurrogateNetwork network = new SurrogateNetwork(s, N_EXC, N_INH);
        SurrogateNetwork.Result r = run(network, 40);

        Set<Long> fired = new HashSet<>();
        for (int i = 0; i < r.nodeIds().length; i++) {
            fired.add(r.nodeIds()[i] * 100_000 + (long) r.timestampsMs()[i]);
        }
        long expectedDeliveries = 0;
        int checked = 0;
        for (int i = 0; i < r.nodeIds().length; i++) {
            int source = (int) r.nodeIds()[i];
            int t = (int) r.timestampsMs()[i];
            for (SurrogateNetwork.Connection c : network.outgoing(source)) {
                if (t + c.delayMs() < s.durationMs()) {
                    expectedDeliveries++;
                    if (source < network.excitatoryNeurons()) {
                        assertThat(c.synapse()).isZero();
                        assertThat(fired).as("neuron %d at %d ms -> neuron %d after %d ms", source, t, c.target(), c.delayMs())
                                .contains(c.target() * 100_000L + t + c.delayMs());
                        checked++;
                    } else {
                        assertThat(c.synapse()).isBetween(N_EXC, N_EXC + N_INH - 1);
                    }
                }
            }
        }
        assertThat(checked).as("recurrent excitatory deliveries checked").isGreaterThan(20);
        assertThat(r.recurrentSpikesDelivered()).isEqualTo(expectedDeliveries);
        assertThat(r.externalSpikes()).isPositive();
        assertThat(r.timestampsMs()).isSorted();
    }

    @Test
    void aSeedGivesOneNetworkAndOneRun() {
        SurrogateNetwork.Settings s = new SurrogateNetwork.Settings(12, 200, 2, 4, 3, 0.25, 2.0, 5.0, 5, false);
        SurrogateNetwork.Result a = run(new SurrogateNetwork(s, N_EXC, N_INH), 12);
        SurrogateNetwork.Result b = run(new SurrogateNetwork(s, N_EXC, N_INH), 12);
        assertThat(a.nodeIds()).isNotEmpty().isEqualTo(b.nodeIds());
        assertThat(a.timestampsMs()).isEqualTo(b.timestampsMs());
        SurrogateNetwork.Settings other = new SurrogateNetwork.Settings(12, 200, 2, 4, 3, 0.25, 2.0, 5.0, 6, false);
        SurrogateNetwork.Result c = run(new SurrogateNetwork(other, N_EXC, N_INH), 12);
        assertThat(c.nodeIds()).isNotEqualTo(a.nodeIds());
    }

    @Test
    void consecutiveSupraThresholdBinsCountAsOneSpikeUnlessAskedOtherwise() {
        // Dense background on synapse 0: the echo neurons fire in runs of neighbouring bins.
        for (boolean merge : new boolean[]{true, false}) {
            SurrogateNetwork.Settings s = new SurrogateNetwork.Settings(6, 400, 2, 4, 0, 0.0, 300.0, 0, 9, merge);
            SurrogateNetwork.Result r = run(new SurrogateNetwork(s, N_EXC, N_INH), 6);
            int consecutive = 0;
            for (int i = 0; i < r.nodeIds().length; i++) {
                for (int j = i + 1; j < r.nodeIds().length && r.timestampsMs()[j] <= r.timestampsMs()[i] + 1; j++) {
                    if (r.nodeIds()[j] == r.nodeIds()[i] && r.timestampsMs()[j] == r.timestampsMs()[i] + 1) {
                        consecutive++;
                    }
                }
            }
            assertThat(r.nodeIds()).isNotEmpty();
            if (merge) {
                assertThat(consecutive).as("runs merged").isZero();
            } else {
                assertThat(consecutive).as("every bin counted").isPositive();
            }
        }
    }

    @Test
    void connectivityHasTheAskedShape() {
        SurrogateNetwork.Settings s = new SurrogateNetwork.Settings(50, 10, 2, 5, 10, 0.2, 0, 0, 3, false);
        SurrogateNetwork network = new SurrogateNetwork(s, 8, 2);
        int[] incoming = new int[50];
        for (int i = 0; i < 50; i++) {
            Set<Integer> targets = new HashSet<>();
            for (SurrogateNetwork.Connection c : network.outgoing(i)) {
                incoming[c.target()]++;
                assertThat(c.target()).isNotEqualTo(i);
                assertThat(c.delayMs()).isBetween(2, 5);
                assertThat(targets.add(c.target())).as("one connection per pair").isTrue();
                assertThat(c.synapse()).isBetween(i < network.excitatoryNeurons() ? 0 : 8, i < network.excitatoryNeurons() ? 7 : 9);
            }
        }
        assertThat(incoming).containsOnly(10);
        assertThat(network.excitatoryNeurons()).isEqualTo(40);
        assertThatThrownBy(() -> new SurrogateNetwork.Settings(10, 100, 0, 5, 3, 0.2, 1, 1, 1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SurrogateNetwork.Settings(10, 100, 5, 4, 3, 0.2, 1, 1, 1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spikesGoToASonataFileAndARaster(@TempDir Path dir) throws IOException, InterruptedException {
        long[] ids = {3, 0, 7, 3};
        double[] ts = {0.0, 2.0, 2.0, 9.0};
        Path h5 = dir.resolve("out/spikes.h5");
        SonataSpikes.write(h5, "surrogates", ids, ts);
        SonataSpikes.Read back = SonataSpikes.read(h5, "surrogates");
        assertThat(back.nodeIds()).containsExactly(ids);
        assertThat(back.timestampsMs()).containsExactly(ts);
        assertThat(back.units()).isEqualTo("ms");
        assertThat(back.sorting()).isEqualTo("by_time");
        assertThat(Files.readAllBytes(h5)).startsWith(new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        assertThatThrownBy(() -> SonataSpikes.write(h5, "p", new long[]{1, 2}, new double[]{3, 1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SonataSpikes.write(h5, "p", new long[0], new double[0])).hasMessageContaining("no spikes");
        // The reference HDF5 library (Debian's hdf5-tools, which .ci/run installs) reads what jHDF wrote.
        Process dump = new ProcessBuilder("h5dump", "-d", "/spikes/surrogates/node_ids", h5.toString()).redirectErrorStream(true).start();
        String dumped = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dump.waitFor()).as(dumped).isZero();
        assertThat(dumped).contains("H5T_STD_I64LE").contains("(0): 3, 0, 7, 3");
        Process dumpTimes = new ProcessBuilder("h5dump", "-a", "/spikes/surrogates/timestamps/units", h5.toString()).redirectErrorStream(true).start();
        String units = new String(dumpTimes.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dumpTimes.waitFor()).as(units).isZero();
        assertThat(units).contains("\"ms\"");

        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve("raster.png");
        RasterPlot.write(png, "test", 8, 6, 10, ids, ts);
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
    }
}

package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.proto.v1.Architecture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The heads start where the data are: mean spike logit = logit(spike rate), mean voltage = mean target. */
class HeadInitialisationTest {
    private static final int SYNAPSES = 30;
    private static final int BATCH = 4;
    private static final int TIME = 120;

    @Test
    void headsStartAtTheTrainingWindowsBaseRates() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").build());
        SurrogateNetwork net = SurrogateNetwork.create(a, SYNAPSES, 1e-4, "adam", 0.1, 7);
        SplittableRandom r = new SplittableRandom(3);
        List<MultiDataSet> batches = List.of(batch(r), batch(r), batch(r));

        SurrogateNetwork.HeadStart start = net.initialiseHeads(batches);

        double logit = 0;
        double voltage = 0;
        double target = 0;
        double spikes = 0;
        double bins = 0;
        for (MultiDataSet b : batches) {
            float[] x = b.getFeatures(0).dup('c').data().asFloat();
            float[][] out = net.predict(x, BATCH, TIME);
            float[] mask = b.getLabelsMaskArray(0).dup('c').data().asFloat();
            float[] spikeLabels = b.getLabels(0).dup('c').data().asFloat();
            float[] voltLabels = b.getLabels(1).dup('c').data().asFloat();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    continue;
                }
                double p = out[0][i];
                logit += Math.log(p / (1 - p));
                voltage += out[1][i];
                target += voltLabels[i];
                spikes += spikeLabels[i];
                bins++;
            }
        }
        double rate = (spikes + 0.5) / (bins + 1);
        assertThat(start.spikeRate()).isCloseTo(rate, within(1e-9));
        assertThat(rate).as("a rare-spike sample").isLessThan(0.02);
        assertThat(logit / bins).isCloseTo(Math.log(rate / (1 - rate)), within(1e-3));
        assertThat(voltage / bins).isCloseTo(target / bins, within(1e-3));
        assertThat(target / bins).as("targets off zero, so the voltage bias has work to do").isLessThan(-0.2);
    }

    @Test
    void dendriticHeadStartsAtTheMeanNexusTarget() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").setDendriticHead(true).build());
        SurrogateNetwork net = SurrogateNetwork.create(a, SYNAPSES, 1e-4, "adam", 0.1, 7);
        SplittableRandom r = new SplittableRandom(4);
        List<MultiDataSet> batches = List.of(withNexus(batch(r), r), withNexus(batch(r), r));

        SurrogateNetwork.HeadStart start = net.initialiseHeads(batches);

        double nexus = 0;
        double target = 0;
        double bins = 0;
        for (MultiDataSet b : batches) {
            float[][] out = net.predict(b.getFeatures(0).dup('c').data().asFloat(), BATCH, TIME);
            assertThat(out).hasNumberOfRows(3);
            float[] mask = b.getLabelsMaskArray(2).dup('c').data().asFloat();
            float[] labels = b.getLabels(2).dup('c').data().asFloat();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] != 0) {
                    nexus += out[2][i];
                    target += labels[i];
                    bins++;
                }
            }
        }
        assertThat(target / bins).as("nexus targets off zero, so the bias has work to do").isGreaterThan(0.5);
        assertThat(nexus / bins).isCloseTo(target / bins, within(1e-3));
        assertThat(start.dendriteBias()).isCloseTo(net.graph().getLayer(SurrogateNetwork.DENDRITE).getParam("b").getDouble(0), within(1e-6));
    }

    @Test
    void withoutTheDendriticHeadItsBiasIsNaN() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").build());
        SurrogateNetwork net = SurrogateNetwork.create(a, SYNAPSES, 1e-4, "adam", 0.1, 7);
        assertThat(net.initialiseHeads(List.of(batch(new SplittableRandom(6)))).dendriteBias()).isNaN();
    }

    /** The batch with a third label, a normalised nexus voltage around +0.8, and the same mask. */
    private static MultiDataSet withNexus(MultiDataSet b, SplittableRandom r) {
        float[] nexus = new float[BATCH * TIME];
        for (int i = 0; i < nexus.length; i++) {
            nexus[i] = (float) (0.8 + 0.4 * r.nextGaussian());
        }
        INDArray m = b.getLabelsMaskArray(0);
        return new MultiDataSet(b.getFeatures(), new INDArray[]{b.getLabels(0), b.getLabels(1), Nd4j.create(nexus, new long[]{BATCH, 1, TIME}, 'c')},
                null, new INDArray[]{m, m, m});
    }

    @Test
    void anExplicitSpikeBiasIsKept() {
        SurrogateArchitecture a = SurrogateArchitecture.resolve(Architecture.newBuilder().setPreset("l5pc-ampa-fast").setSpikeBiasInit(-3).build());
        SurrogateNetwork net = SurrogateNetwork.create(a, SYNAPSES, 1e-4, "adam", 0.1, 7);
        SurrogateNetwork.HeadStart start = net.initialiseHeads(List.of(batch(new SplittableRandom(5))));
        assertThat(start.spikeBias()).isEqualTo(-3.0, within(1e-6));
        assertThat(net.graph().getLayer(SurrogateNetwork.SPIKE).getParam("b").getDouble(0)).isCloseTo(-3.0, within(1e-6));
    }

    /** Sparse random input, ~1 spike in 200 bins, voltage targets around -0.5 (normalised), first 50 bins masked. */
    private static MultiDataSet batch(SplittableRandom r) {
        float[] x = new float[BATCH * SYNAPSES * TIME];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.05 ? 1f : 0f;
        }
        float[] spike = new float[BATCH * TIME];
        float[] volt = new float[BATCH * TIME];
        float[] mask = new float[BATCH * TIME];
        for (int i = 0; i < spike.length; i++) {
            spike[i] = r.nextDouble() < 0.005 ? 1f : 0f;
            volt[i] = (float) (-0.5 + 0.3 * r.nextGaussian());
            mask[i] = i % TIME >= 50 ? 1f : 0f;
        }
        INDArray m = Nd4j.create(mask, new long[]{BATCH, TIME}, 'c');
        return new MultiDataSet(new INDArray[]{Nd4j.create(x, new long[]{BATCH, SYNAPSES, TIME}, 'c')},
                new INDArray[]{Nd4j.create(spike, new long[]{BATCH, 1, TIME}, 'c'), Nd4j.create(volt, new long[]{BATCH, 1, TIME}, 'c')},
                null, new INDArray[]{m, m});
    }
}

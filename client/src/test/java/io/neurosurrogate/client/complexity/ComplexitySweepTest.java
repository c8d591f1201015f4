package io.neurosurrogate.client.complexity;

import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ComplexitySweepTest {
    private static final TrainingJobSpec TEMPLATE = TrainingJobSpec.newBuilder().setCampaignId("camp-1").setMinSimulations(10)
            .setConfig(TrainingConfig.newBuilder().setSeed(7).setEpochs(FakeTrainingGateway.EPOCHS).setMaxTrainS(600)).build();

    /** AUC grows with depth and width; d2-w32 fails. */
    private static Double auc(TrainingJobSpec spec) {
        int depth = spec.getArchitecture().getLayersCount();
        int width = spec.getArchitecture().getLayers(0).getFilters();
        if (depth == 2 && width == 32) {
            return null;
        }
        return 0.95 + 0.01 * depth + (width >= 32 ? 0.005 : 0);
    }

    @Test
    void everyGridPointTrainsOnTheSameDataThroughAFullQueueAndAFailureDoesNotLoseTheOthers() throws Exception {
        ComplexityGrid grid = new ComplexityGrid("l5pc-nmda", List.of(1, 2, 3), List.of(8, 32), 0.97, 0, null);
        List<String> lines = new CopyOnWriteArrayList<>();
        try (FakeTrainingGateway gw = new FakeTrainingGateway(1, 20, ComplexitySweepTest::auc);
             NeuroSurrogateClient client = new NeuroSurrogateClient(gw.address())) {
            gw.breakFirstWatch.add("complexity-l5pc-nmda-d1-w32");
            ComplexitySweep sweep = new ComplexitySweep(client, grid, TEMPLATE, lines::add)
                    .retryDelays(Duration.ofMillis(5), Duration.ofMillis(20));
            ComplexityReport r = sweep.run();

            assertThat(gw.rejectedFull.get()).as("submissions refused by the full queue").isPositive();
            assertThat(gw.accepted).hasSize(6);
            assertThat(gw.accepted).allSatisfy(spec -> {
                assertThat(spec.getNeuronModel()).isEqualTo("l5pc-nmda");
                assertThat(spec.getCampaignId()).isEqualTo("camp-1");
                assertThat(spec.getMinSimulations()).isEqualTo(10);
                assertThat(spec.getConfig()).isEqualTo(TEMPLATE.getConfig());
                assertThat(spec.getArchitecture().getLayersList()).allMatch(l -> !l.getBatchNorm() && l.getActivation().equals("relu"));
                assertThat(1 + spec.getArchitecture().getLayersList().stream().mapToInt(l -> l.getKernelMs() - 1).sum()).isEqualTo(153);
            });
            assertThat(gw.accepted.stream().map(TrainingJobSpec::getModelName)).containsExactly(
                    "complexity-l5pc-nmda-d1-w8", "complexity-l5pc-nmda-d1-w32", "complexity-l5pc-nmda-d2-w8",
                    "complexity-l5pc-nmda-d2-w32", "complexity-l5pc-nmda-d3-w8", "complexity-l5pc-nmda-d3-w32");

            assertThat(r.complete()).isTrue();
            assertThat(r.failed()).isEqualTo(1);
            CellOutcome failed = r.cell(new ComplexityGrid.Point(2, 32));
            assertThat(failed.status()).isEqualTo(CellOutcome.Status.FAILED);
            assertThat(failed.error()).contains("boom");
            CellOutcome d3 = r.cell(new ComplexityGrid.Point(3, 32));
            assertThat(d3.testAuc()).isEqualTo(0.985, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(d3.parameters()).isEqualTo(FakeTrainingGateway.parameters(sweep.spec(d3.point())));
            // reaching 0.97: d2-w8 (0.97), d3-w8, d3-w32; d2-w8 has the fewest parameters of those
            assertThat(r.smallest()).get().extracting(CellOutcome::point).isEqualTo(new ComplexityGrid.Point(2, 8));
            assertThat(r.resultLine()).startsWith("RESULT neuron=l5pc-nmda target_auc=0.97 smallest_depth=2 smallest_width=8 smallest_params=")
                    .endsWith("best_auc=0.9850 jobs=6 failed=1");

            assertThat(lines).contains("[1/6] d1-w8 epoch 2/3 val AUC 0.920");
            assertThat(lines).anyMatch(l -> l.startsWith("[4/6] d2-w32 failed: boom"));
            assertThat(lines).anyMatch(l -> l.contains("training queue full; waiting for room"));
            // the broken stream was re-opened; its replay did not repeat lines
            assertThat(lines.stream().filter(l -> l.equals("[2/6] d1-w32 queued"))).hasSize(1);
            assertThat(lines.stream().filter(l -> l.startsWith("[2/6] d1-w32 succeeded"))).hasSize(1);
        }
    }

    @Test
    void stoppingCancelsUnfinishedJobsAndKeepsFinishedResults() throws Exception {
        ComplexityGrid grid = new ComplexityGrid("iaf", List.of(1, 2), List.of(4, 8), 0.99, 0, "cx");
        // d1-w4 finishes; the next one trains until cancelled; the rest wait in the queue behind it
        try (FakeTrainingGateway gw = new FakeTrainingGateway(10, 2, spec -> spec.getModelName().equals("cx-d1-w4") ? 0.995 : Double.NaN);
             NeuroSurrogateClient client = new NeuroSurrogateClient(gw.address())) {
            ComplexitySweep sweep = new ComplexitySweep(client, grid, TEMPLATE, l -> { });
            CompletableFuture<ComplexityReport> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return sweep.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sweep.snapshot().cell(new ComplexityGrid.Point(1, 4)).succeeded() || gw.accepted.size() < 4) {
                assertThat(System.nanoTime()).as("sweep started every job").isLessThan(deadline);
                Thread.sleep(5);
            }
            ComplexityReport stopped = sweep.stop();
            assertThat(stopped.cell(new ComplexityGrid.Point(1, 4)).succeeded()).isTrue();
            assertThat(gw.cancelRequests).hasSize(3);
            assertThat(stopped.failed()).isEqualTo(3);
            assertThat(stopped.smallest()).get().extracting(c -> c.point().label()).isEqualTo("d1-w4");

            ComplexityReport end = running.get(10, TimeUnit.SECONDS);
            assertThat(end.complete()).isTrue();
            assertThat(end.cells().stream().filter(c -> c.status() == CellOutcome.Status.CANCELLED)).hasSize(3);
            assertThat(end.resultLine()).contains("smallest_depth=1 smallest_width=4").contains("jobs=4 failed=3");
        }
    }
}

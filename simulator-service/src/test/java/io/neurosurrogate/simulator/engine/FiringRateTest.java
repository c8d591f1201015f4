package io.neurosurrogate.simulator.engine;

import io.neurosurrogate.proto.v1.InputStatistics;
import io.neurosurrogate.simulator.cell.morphology.DefaultL5pcMorphology;
import io.neurosurrogate.simulator.cell.morphology.Discretiser;
import io.neurosurrogate.simulator.input.InputGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: under its default (the paper's NMDA-scheme) input the L5PC fires at roughly 1 Hz on
 * average, as the paper's cell did (Beniaguev et al. 2021: ~1.0 Hz). Eight 6 s simulations of the
 * built-in cell on the Java engine; the band is wide because eight simulations are few and the
 * rate varies a lot from one simulation to the next (it follows the drawn input rates).
 */
class FiringRateTest {
    private static final int SIMULATIONS = 8;
    private static final int DURATION_MS = 6000;

    @Test
    void theNmdaCellFiresAtRoughlyOneHertzUnderItsDefaultInput() throws Exception {
        BiophysicalCell cell = new BiophysicalCell("l5pc-nmda", "builtin",
                Discretiser.hay().discretise(DefaultL5pcMorphology.generate()), true);
        InputGenerator generator = cell.inputGenerator(InputStatistics.getDefaultInstance());
        CompartmentalEngine engine = new CompartmentalEngine(cell);
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<Integer>> spikes = IntStream.range(0, SIMULATIONS)
                    .mapToObj(i -> pool.submit(() -> engine.simulate(generator.generate(DURATION_MS, 1000 + i).spikes()).spikeTimesMs().length))
                    .toList();
            int total = 0;
            for (Future<Integer> f : spikes) {
                total += f.get();
            }
            double hz = total / (SIMULATIONS * DURATION_MS / 1000.0);
            System.out.printf("l5pc-nmda (built-in cell): %d spikes in %d x %d ms = %.2f Hz%n", total, SIMULATIONS, DURATION_MS, hz);
            assertThat(hz).as("mean output rate (Hz)").isBetween(0.3, 3.0);
        } finally {
            pool.shutdownNow();
        }
    }
}

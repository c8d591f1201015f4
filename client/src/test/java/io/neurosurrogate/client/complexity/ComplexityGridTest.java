package io.neurosurrogate.client.complexity;

import io.neurosurrogate.proto.v1.ConvLayer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComplexityGridTest {

    @Test
    void kernelsAddUpToExactlyTheReceptiveFieldForEveryDepth() {
        for (int rf : new int[]{1, 2, 5, 10, 11, 43, 80, 100, 153, 400, 2000}) {
            for (int depth = 1; depth <= 10; depth++) {
                int[] k = ComplexityGrid.kernelSizes(depth, rf);
                assertThat(k).hasSize(depth);
                int sum = 1;
                for (int kernel : k) {
                    assertThat(kernel).as("kernel of depth %d, R %d", depth, rf).isBetween(1, ComplexityGrid.MAX_RECEPTIVE_FIELD_MS);
                    sum += kernel - 1;
                }
                assertThat(sum).as("1 + sum(k - 1) for depth %d, R %d", depth, rf).isEqualTo(rf);
            }
        }
    }

    @Test
    void firstLayerTakesAboutAThirdAndTheOthersShareTheRestEvenly() {
        // R 153, depth 7: history 152, first 51 (kernel 52), the other six share 101 -> 17 x 5 + 16.
        assertThat(ComplexityGrid.kernelSizes(7, 153)).containsExactly(52, 18, 18, 18, 18, 18, 17);
        assertThat(ComplexityGrid.kernelSizes(1, 153)).containsExactly(153);
        assertThat(ComplexityGrid.kernelSizes(2, 43)).containsExactly(15, 29);
        for (int depth = 3; depth <= 10; depth++) {
            int[] k = ComplexityGrid.kernelSizes(depth, 153);
            assertThat(k[0] - 1).isEqualTo((int) Math.round(152 / 3.0));
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int i = 1; i < k.length; i++) {
                min = Math.min(min, k[i]);
                max = Math.max(max, k[i]);
            }
            assertThat(max - min).as("depth %d", depth).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void everyLayerIsReluWithoutBatchNormAndTheGridHoldsTheReceptiveField() {
        ComplexityGrid grid = new ComplexityGrid("l5pc-nmda", List.of(7, 1, 3), List.of(128, 16), 0.991, 0, null);
        assertThat(grid.receptiveFieldMs()).isEqualTo(153);
        assertThat(grid.depths()).containsExactly(1, 3, 7);
        assertThat(grid.widths()).containsExactly(16, 128);
        assertThat(grid.points()).hasSize(6).first().isEqualTo(new ComplexityGrid.Point(1, 16));
        ComplexityGrid.Point p = new ComplexityGrid.Point(3, 128);
        assertThat(grid.modelName(p)).isEqualTo("complexity-l5pc-nmda-d3-w128");
        List<ConvLayer> layers = grid.architecture(p).getLayersList();
        assertThat(layers).hasSize(3).allSatisfy(l -> {
            assertThat(l.getFilters()).isEqualTo(128);
            assertThat(l.getActivation()).isEqualTo("relu");
            assertThat(l.getBatchNorm()).isFalse();
            assertThat(l.getResidual()).isFalse();
            assertThat(l.getDilation()).isEqualTo(1);
        });
        assertThat(1 + layers.stream().mapToInt(l -> l.getKernelMs() - 1).sum()).isEqualTo(153);
    }

    @Test
    void defaultReceptiveFieldFollowsThePaperPerNeuron() {
        assertThat(ComplexityGrid.defaultReceptiveFieldMs("iaf")).isEqualTo(80);
        assertThat(ComplexityGrid.defaultReceptiveFieldMs("iaf-fast")).isEqualTo(80);
        assertThat(ComplexityGrid.defaultReceptiveFieldMs("l5pc-ampa")).isEqualTo(43);
        assertThat(ComplexityGrid.defaultReceptiveFieldMs("l5pc-nmda")).isEqualTo(153);
        assertThat(ComplexityGrid.defaultReceptiveFieldMs("ball-and-stick")).isEqualTo(153);
        assertThat(new ComplexityGrid("iaf", List.of(1), List.of(1), 0.99, 60, "x").receptiveFieldMs()).isEqualTo(60);
    }

    @Test
    void parsesCommaSeparatedLists() {
        assertThat(ComplexityGrid.parseList("--depths", "1,2, 3 ,5,7")).containsExactly(1, 2, 3, 5, 7);
        assertThatThrownBy(() -> ComplexityGrid.parseList("--depths", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--depths");
        assertThatThrownBy(() -> ComplexityGrid.parseList("--widths", "16,,32")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty entry");
        assertThatThrownBy(() -> ComplexityGrid.parseList("--widths", "16,abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc' is not an integer");
    }

    @Test
    void rejectsBadGridsWithAClearMessage() {
        assertThatThrownBy(() -> grid(List.of(), List.of(16), 0.99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--depths needs at least one value");
        assertThatThrownBy(() -> grid(List.of(1), List.of(), 0.99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--widths needs at least one value");
        assertThatThrownBy(() -> grid(List.of(0, 1), List.of(16), 0.99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--depths values must be in 1..64, got 0");
        assertThatThrownBy(() -> grid(List.of(1), List.of(16, 4097), 0.99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--widths values must be in 1..4096, got 4097");
        assertThatThrownBy(() -> grid(List.of(1, 1), List.of(16), 0.99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        for (double bad : new double[]{0.5, 0.3, 1.0001, Double.NaN, -1}) {
            assertThatThrownBy(() -> grid(List.of(1), List.of(16), bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--target-auc must be in (0.5, 1]");
        }
        assertThat(grid(List.of(1), List.of(16), 1.0).targetAuc()).isEqualTo(1.0);
        assertThatThrownBy(() -> new ComplexityGrid("iaf", List.of(1), List.of(16), 0.99, 2001, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--receptive-field-ms");
        assertThatThrownBy(() -> new ComplexityGrid(" ", List.of(1), List.of(16), 0.99, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--neuron");
        assertThatThrownBy(() -> new ComplexityGrid("iaf", List.of(1), List.of(16), 0.99, 0, "Bad Prefix"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model names must be lower-case");
        assertThatThrownBy(() -> new ComplexityGrid("iaf", List.of(1, 10), List.of(16, 128), 0.99, 0, "p".repeat(55)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-d10-w128");
        assertThat(new ComplexityGrid("iaf", List.of(1, 10), List.of(16, 128), 0.99, 0, "p".repeat(54)).modelName(
                new ComplexityGrid.Point(10, 128))).hasSize(63);
        assertThatThrownBy(() -> ComplexityGrid.kernelSizes(0, 80)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ComplexityGrid grid(List<Integer> depths, List<Integer> widths, double target) {
        return new ComplexityGrid("iaf", depths, widths, target, 0, null);
    }
}

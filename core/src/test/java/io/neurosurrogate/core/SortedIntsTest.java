package io.neurosurrogate.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SortedIntsTest {
    @Test
    void firstAtOrAboveIsTheFirstOfRepeatsAndStaysInItsRange() {
        int[] a = {1, 3, 3, 3, 7, 9};
        assertThat(SortedInts.firstAtOrAbove(a, 0, a.length, 3)).isEqualTo(1);
        assertThat(SortedInts.firstAtOrAbove(a, 0, a.length, 4)).isEqualTo(4);
        assertThat(SortedInts.firstAtOrAbove(a, 0, a.length, 0)).isEqualTo(0);
        assertThat(SortedInts.firstAtOrAbove(a, 0, a.length, 10)).isEqualTo(a.length);
        // within a sub-range: never below from, never above to
        assertThat(SortedInts.firstAtOrAbove(a, 2, 4, 1)).isEqualTo(2);
        assertThat(SortedInts.firstAtOrAbove(a, 2, 4, 8)).isEqualTo(4);
        assertThat(SortedInts.firstAtOrAbove(a, 3, 3, 0)).isEqualTo(3);
    }
}

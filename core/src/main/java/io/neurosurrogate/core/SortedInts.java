package io.neurosurrogate.core;

/** Searches in ascending int arrays. */
public final class SortedInts {
    private SortedInts() {
    }

    /**
     * The first index in {@code [from, to)} whose value is {@code >= key}, or {@code to} when there is none;
     * {@code a[from .. to)} must be ascending (repeats allowed).
     */
    public static int firstAtOrAbove(int[] a, int from, int to, int key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

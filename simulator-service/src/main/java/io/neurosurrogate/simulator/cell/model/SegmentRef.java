package io.neurosurrogate.simulator.cell.model;

/** Segment {@code segment} (0..nseg-1) of section {@code section}. */
public record SegmentRef(int section, int segment) {
}

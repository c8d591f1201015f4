package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.trace.SimulationTrace;

/** One finished simulation and the wall time spent inside the engine only (not input generation). */
public record SimulatedTrace(SimulationTrace trace, long engineNanos) {

    public double engineSeconds() {
        return engineNanos / 1.0e9;
    }
}

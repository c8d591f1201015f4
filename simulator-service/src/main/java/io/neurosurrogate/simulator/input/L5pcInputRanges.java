package io.neurosurrogate.simulator.input;

import io.neurosurrogate.proto.v1.InputStatistics;

/**
 * The ranges the L5PC input generator draws from, per dendritic tree and per simulation.
 * <ul>
 *   <li>{@code excPer100msMax}: each hold interval's TOTAL excitatory spikes per 100 ms on one tree
 *       ~ U[0, max];</li>
 *   <li>{@code inhDeltaMin/Max}: the tree's inhibitory total ~ U[max(0, exc + min), max(0, exc + max)]
 *       (spikes per 100 ms), so it is never negative;</li>
 *   <li>{@code holdMsMin/Max}, {@code sigmaMsMin/Max} (ms): the hold length of the piecewise-constant
 *       rates and the Gaussian smoothing sigma, one of each per simulation. The value is drawn from
 *       the paper's option grid ({@link #HOLD_GRID_MS}, {@link #SIGMA_GRID_MS}) restricted to
 *       [min, max], or uniformly from [min, max] when no grid value lies in it; then
 *       U[-jitterMs, jitterMs] is added (at least 1 ms);</li>
 *   <li>{@code minSegmentLengthUm} (um): added to every segment's length before the rates are
 *       spread proportionally to it (keeps short segments from getting almost nothing).</li>
 * </ul>
 * Values from the paper's published simulation script (SelfishGene/neuron_as_deep_net,
 * simulate_L5PC_and_create_dataset.py, Beniaguev, Segev &amp; London 2021). Every instance is
 * validated on construction ({@link DomainException#invalid}).
 */
public record L5pcInputRanges(double excPer100msMax,
                              double inhDeltaMin, double inhDeltaMax,
                              double holdMsMin, double holdMsMax,
                              double sigmaMsMin, double sigmaMsMax,
                              double jitterMs,
                              double minSegmentLengthUm) {

    /**
     * The paper's hold-length options (ms), each drawn with equal probability
     * ("inst_rate_sampling_time_interval_options_ms"). Skewed to short holds: median 72.5 ms.
     */
    static final double[] HOLD_GRID_MS = {25, 30, 35, 40, 45, 55, 60, 65, 70, 75, 80, 85, 90, 100, 150, 200, 300, 450};

    /** The paper's smoothing-sigma options (ms) ("temporal_inst_rate_smoothing_sigma_options_ms"). */
    static final double[] SIGMA_GRID_MS = {25, 30, 35, 40, 50, 60, 80, 100, 150, 200, 300, 400, 500, 600};

    /**
     * AMPA + NMDA cell: 0-800 excitatory spikes per 100 ms per tree, holds 25-450 ms, sigma 25-600 ms,
     * jitter 20 ms, +10 um per segment (paper), and inhibition = excitation + [-600, +75]. The upper
     * bound is ours, calibrated so that the built-in cell fires near the paper's ~1 Hz (measured on
     * the built-in cell, 8 x 6 s, seeds 1000-1007: 1.6 Hz at +75, 2.3 Hz at 0, 2.9 Hz at -50; the rate
     * varies strongly from one simulation to the next). The paper's script has +200, but with every
     * synaptic event released (our default) that input silences the cell: 0 spikes in 4 x 6 s, both
     * in our model and in the paper's own NEURON model run here on the same spikes. The paper's ~1 Hz
     * came from its synapse code, which in effect released every excitatory and ~63 % of the
     * inhibitory events.
     */
    public static final L5pcInputRanges PAPER_NMDA = new L5pcInputRanges(800, -600, 75, 25, 450, 25, 600, 20, 10);

    /**
     * AMPA-only cell: 0-1900 excitatory spikes per 100 ms per tree (paper; its apical tree got 0-2000,
     * 5 % more than the basal 0-1900 kept here), inhibition = excitation + [-1650, 0]. The upper bound
     * is ours, calibrated as for the NMDA cell: with every event released the paper's +150 leaves the
     * cell silent (0 spikes in 6 s on cell1.asc, seed 1); on the built-in cell, 6 x 6 s, seeds
     * 1000-1005: 1.0 Hz at 0, 1.7 Hz at -150, 2.6 Hz at -300.
     */
    public static final L5pcInputRanges PAPER_AMPA = new L5pcInputRanges(1900, -1650, 0, 25, 450, 25, 600, 20, 10);

    /** Upper bound on any rate or duration parameter: far beyond physiology, keeps arithmetic sane. */
    private static final double LIMIT = 1.0e6;

    public L5pcInputRanges {
        InputChecks.requireInRange("input.exc_per_100ms_max", excPer100msMax, 0, LIMIT);
        InputChecks.requireInRange("input.inh_delta_min", inhDeltaMin, -LIMIT, LIMIT);
        InputChecks.requireInRange("input.inh_delta_max", inhDeltaMax, -LIMIT, LIMIT);
        InputChecks.requireInRange("input.hold_ms_min", holdMsMin, 1, LIMIT);
        InputChecks.requireInRange("input.hold_ms_max", holdMsMax, 1, LIMIT);
        InputChecks.requireInRange("input.smoothing_sigma_ms_min", sigmaMsMin, 1, LIMIT);
        InputChecks.requireInRange("input.smoothing_sigma_ms_max", sigmaMsMax, 1, LIMIT);
        InputChecks.requireInRange("input.jitter_ms", jitterMs, 0, LIMIT);
        InputChecks.requireInRange("input.min_segment_length_um", minSegmentLengthUm, Double.MIN_VALUE, LIMIT);
        InputChecks.requireOrdered("input.inh_delta", inhDeltaMin, inhDeltaMax);
        InputChecks.requireOrdered("input.hold_ms", holdMsMin, holdMsMax);
        InputChecks.requireOrdered("input.smoothing_sigma_ms", sigmaMsMin, sigmaMsMax);
    }

    /** Applies the non-zero fields of {@code overrides} to these ranges; the result is validated. */
    public L5pcInputRanges overriddenBy(InputStatistics overrides) {
        return new L5pcInputRanges(
                InputChecks.pick(overrides.getExcPer100MsMax(), excPer100msMax),
                InputChecks.pick(overrides.getInhDeltaMin(), inhDeltaMin),
                InputChecks.pick(overrides.getInhDeltaMax(), inhDeltaMax),
                InputChecks.pick(overrides.getHoldMsMin(), holdMsMin),
                InputChecks.pick(overrides.getHoldMsMax(), holdMsMax),
                InputChecks.pick(overrides.getSmoothingSigmaMsMin(), sigmaMsMin),
                InputChecks.pick(overrides.getSmoothingSigmaMsMax(), sigmaMsMax),
                jitterMs,
                minSegmentLengthUm);
    }

    /** These ranges as the proto reports them (jitter and minimum segment length have no field). */
    public InputStatistics toStatistics() {
        return InputStatistics.newBuilder()
                .setExcPer100MsMax(excPer100msMax)
                .setInhDeltaMin(inhDeltaMin)
                .setInhDeltaMax(inhDeltaMax)
                .setHoldMsMin(holdMsMin)
                .setHoldMsMax(holdMsMax)
                .setSmoothingSigmaMsMin(sigmaMsMin)
                .setSmoothingSigmaMsMax(sigmaMsMax)
                .build();
    }
}

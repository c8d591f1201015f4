package io.neurosurrogate.simulator.cell.channels;

import java.util.Arrays;

/**
 * The per-node state the mechanisms read and write, in flat arrays indexed by node (mV, mM,
 * mA/cm2). The engine owns it; mechanisms touch only their own nodes.
 */
public final class CellState {
    /** Faraday constant (C/mol) and gas constant (J/(K mol)), as NEURON 8.2 uses them. */
    public static final double FARADAY = 96485.33212;
    public static final double GAS_CONSTANT = 8.314462618;

    public final int nodes;
    public final double[] v;
    public final double[] ena;
    public final double[] ek;
    public final double[] eca;
    /** Intracellular calcium (mM), written by CaDynamics_E2. */
    public final double[] cai;
    /** Calcium current density (mA/cm2) of this step, summed by the calcium channels; zeroed by the engine. */
    public final double[] ica;
    public final double celsius;
    public final double caoMm;

    public CellState(int nodes, double celsius, double caoMm) {
        this.nodes = nodes;
        this.v = new double[nodes];
        this.ena = new double[nodes];
        this.ek = new double[nodes];
        this.eca = new double[nodes];
        this.cai = new double[nodes];
        this.ica = new double[nodes];
        this.celsius = celsius;
        this.caoMm = caoMm;
    }

    /** Calcium reversal potential (mV) for intracellular {@code caiMm}: Nernst, z = 2. */
    public double nernstCa(double caiMm) {
        return 1000.0 * GAS_CONSTANT * (celsius + 273.15) / (2.0 * FARADAY) * Math.log(caoMm / caiMm);
    }

    /** Recomputes eca from cai on {@code nodeList}. */
    public void updateEca(int[] nodeList) {
        for (int n : nodeList) {
            eca[n] = nernstCa(cai[n]);
        }
    }

    public void clearIca() {
        Arrays.fill(ica, 0.0);
    }
}

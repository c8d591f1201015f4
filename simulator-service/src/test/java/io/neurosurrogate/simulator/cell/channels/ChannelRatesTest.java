package io.neurosurrogate.simulator.cell.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Steady states and time constants of every Hay et al. (2011) channel against hand evaluations of the
 * published rate functions, written here in a different algebraic form (half-activation / slope
 * sigmoids, a shared "linoid" rate), plus anchor values that follow from the equations by inspection
 * (half-activation points, the limits at the guarded singular points).
 */
class ChannelRatesTest {

    private static final int[] ONE = {0};
    private static final double[] G = {1.0};
    private static final double QT = 2.952882641412121; // 2.3^1.3
    private static final double[] VOLTAGES = {-120, -90, -80, -65.5, -50, -40, -25, -10, 0, 15, 40};

    /** a * x / (1 - exp(-x / k)): the rate form of the Na and HVA channels. */
    private static double linoid(double a, double x, double k) {
        return a * x / (1 - Math.exp(-x / k));
    }

    private static double sigmoid(double v, double vHalf, double slope) {
        return 1 / (1 + Math.exp(-(v - vHalf) / slope));
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-11 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void q10FactorIs2point3ToThe1point3() {
        assertEquals(QT, VoltageGatedChannel.QT_34, 1e-14);
    }

    /** NaTa_t (shift 0) and NaTs2_t (shift +6 mV): m from -38 (-32), h from -66 (-60). */
    private static void checkTransientNa(VoltageGatedChannel c, double mVh, double hVh) {
        for (double v0 : VOLTAGES) {
            double v = v0 == mVh ? v0 + 1e-4 : v0;
            double am = linoid(0.182, v - mVh, 6);
            double bm = linoid(0.124, -(v - mVh), 6);
            double vh = v == hVh ? v + 1e-4 : v;
            double ah = linoid(0.015, -(vh - hVh), 6);
            double bh = linoid(0.015, vh - hVh, 6);
            c.rates(v0);
            close(am / (am + bm), c.mInf(), c.name() + " mInf at " + v0);
            close(1 / (am + bm) / QT, c.mTau(), c.name() + " mTau at " + v0);
            close(ah / (ah + bh), c.hInf(), c.name() + " hInf at " + v0);
            close(1 / (ah + bh) / QT, c.hTau(), c.name() + " hTau at " + v0);
        }
        // guarded points: finite and equal to the limit alpha = a*k (l'Hopital), to O(1e-4)
        c.rates(mVh);
        double amLim = 0.182 * 6;
        double bmLim = 0.124 * 6;
        assertEquals(amLim / (amLim + bmLim), c.mInf(), 1e-4, "mInf at the singular point");
        assertEquals(1 / (amLim + bmLim) / QT, c.mTau(), 1e-4, "mTau at the singular point");
        c.rates(hVh);
        assertEquals(0.5, c.hInf(), 1e-4, "hInf at its singular point (alpha = beta)");
        assertEquals(1 / (2 * 0.015 * 6) / QT, c.hTau(), 1e-3, "hTau at its singular point");
    }

    @Test
    void naTaT() {
        checkTransientNa(new NaTaT(ONE, G), -38, -66);
    }

    @Test
    void naTs2T() {
        checkTransientNa(new NaTs2T(ONE, G), -32, -60);
    }

    @Test
    void napEt2() {
        NapEt2 c = new NapEt2(ONE, G);
        double[] vs = {-90, -64.4, -52.6, -38, -17, -30, 0, 20};
        for (double v0 : vs) {
            double vm = v0 == -38 ? v0 + 1e-4 : v0;
            double am = linoid(0.182, vm + 38, 6);
            double bm = linoid(0.124, -(vm + 38), 6);
            double vh = (vm == -17 || vm == -64.4) ? vm + 1e-4 : vm;
            double ah = linoid(2.88e-6, -(vh + 17), 4.63);
            double bh = linoid(6.94e-6, vh + 64.4, 2.63);
            c.rates(v0);
            close(sigmoid(v0, -52.6, 4.6), c.mInf(), "mInf at " + v0);
            close(6 / (am + bm) / QT, c.mTau(), "mTau at " + v0);
            close(1 - sigmoid(vh, -48.8, 10), c.hInf(), "hInf at " + v0);
            close(1 / (ah + bh) / QT, c.hTau(), "hTau at " + v0);
        }
        c.rates(-52.6);
        assertEquals(0.5, c.mInf(), 1e-15);
        c.rates(-48.8);
        assertEquals(0.5, c.hInf(), 1e-15);
        c.rates(-17);
        assertTrue(Double.isFinite(c.hTau()) && c.hTau() > 0);
    }

    @Test
    void kPst() {
        KPst c = new KPst(ONE, G);
        for (double v0 : VOLTAGES) {
            double v = v0 + 10;
            double tauM = v < -50 ? 1.25 + 175.03 * Math.exp(0.026 * v) : 1.25 + 13 * Math.exp(-0.026 * v);
            double tauH = 360 + (1010 + 24 * (v + 55)) * Math.exp(-Math.pow((v + 75) / 48, 2));
            c.rates(v0);
            close(sigmoid(v0, -11, 12), c.mInf(), "mInf at " + v0);
            close(tauM / QT, c.mTau(), "mTau at " + v0);
            close(1 - sigmoid(v0, -64, 11), c.hInf(), "hInf at " + v0);
            close(tauH / QT, c.hTau(), "hTau at " + v0);
        }
        // the two mTau branches meet the threshold at shifted v = -50, i.e. v = -60 mV
        c.rates(-60.000001);
        assertEquals((1.25 + 175.03 * Math.exp(-1.3)) / QT, c.mTau(), 1e-4);
        c.rates(-60);
        assertEquals((1.25 + 13 * Math.exp(1.3)) / QT, c.mTau(), 1e-12);
    }

    @Test
    void kTst() {
        KTst c = new KTst(ONE, G);
        for (double v0 : VOLTAGES) {
            double v = v0 + 10;
            c.rates(v0);
            close(sigmoid(v0, -10, 19), c.mInf(), "mInf at " + v0);
            close((0.34 + 0.92 * Math.exp(-Math.pow((v + 71) / 59, 2))) / QT, c.mTau(), "mTau at " + v0);
            close(1 - sigmoid(v0, -76, 10), c.hInf(), "hInf at " + v0);
            close((8 + 49 * Math.exp(-Math.pow((v + 73) / 23, 2))) / QT, c.hTau(), "hTau at " + v0);
        }
        c.rates(-81);
        assertEquals((0.34 + 0.92) / QT, c.mTau(), 1e-12, "mTau peaks at v + 10 = -71");
    }

    @Test
    void sKv31() {
        SKv31 c = new SKv31(ONE, G);
        for (double v : VOLTAGES) {
            c.rates(v);
            close(sigmoid(v, 18.7, 9.7), c.mInf(), "mInf at " + v);
            close(4.0 * sigmoid(v, -46.56, 44.14), c.mTau(), "mTau at " + v);
        }
        c.rates(-46.56);
        assertEquals(2.0, c.mTau(), 1e-12);
    }

    @Test
    void im() {
        Im c = new Im(ONE, G);
        for (double v : VOLTAGES) {
            c.rates(v);
            close(sigmoid(v, -35, 5), c.mInf(), "mInf at " + v);
            close(1 / (2 * 3.3e-3 * Math.cosh(0.1 * (v + 35))) / QT, c.mTau(), "mTau at " + v);
        }
        c.rates(-35);
        assertEquals(0.5, c.mInf(), 1e-15);
    }

    @Test
    void ih() {
        Ih c = new Ih(ONE, G);
        double[] vs = {-154.9, -120, -90, -80, -45, 0};
        for (double v0 : vs) {
            double v = v0 == -154.9 ? v0 + 1e-4 : v0;
            double a = 6.43e-3 * (v + 154.9) / (Math.exp((v + 154.9) / 11.9) - 1);
            double b = 0.193 * Math.exp(v / 33.1);
            c.rates(v0);
            close(a / (a + b), c.mInf(), "mInf at " + v0);
            close(1 / (a + b), c.mTau(), "mTau at " + v0);
        }
        c.rates(-154.9);
        double aLim = 6.43e-3 * 11.9;
        double b = 0.193 * Math.exp(-154.9 / 33.1);
        assertEquals(aLim / (aLim + b), c.mInf(), 1e-5, "limit at vhalf");
    }

    @Test
    void caHva() {
        CaHva c = new CaHva(ONE, G);
        double[] vs = {-90, -60, -27, -10, 0, 20};
        for (double v0 : vs) {
            double v = v0 == -27 ? v0 + 1e-4 : v0;
            double am = linoid(0.055, v + 27, 3.8);
            double bm = 0.94 * Math.exp(-(v + 75) / 17);
            double ah = 0.000457 * Math.exp(-(v + 13) / 50);
            double bh = 0.0065 * sigmoid(v, -15, 28);
            c.rates(v0);
            close(am / (am + bm), c.mInf(), "mInf at " + v0);
            close(1 / (am + bm), c.mTau(), "mTau at " + v0);
            close(ah / (ah + bh), c.hInf(), "hInf at " + v0);
            close(1 / (ah + bh), c.hTau(), "hTau at " + v0);
        }
        c.rates(-27);
        double amLim = 0.055 * 3.8;
        double bm = 0.94 * Math.exp(-48.0 / 17);
        assertEquals(amLim / (amLim + bm), c.mInf(), 1e-4);
    }

    @Test
    void caLvaSt() {
        CaLvaSt c = new CaLvaSt(ONE, G);
        for (double v : VOLTAGES) {
            c.rates(v);
            close(sigmoid(v, -40, 6), c.mInf(), "mInf at " + v);
            close((5 + 20 * (1 - sigmoid(v, -35, 5))) / QT, c.mTau(), "mTau at " + v);
            close(1 - sigmoid(v, -90, 6.4), c.hInf(), "hInf at " + v);
            close((20 + 50 * (1 - sigmoid(v, -50, 7))) / QT, c.hTau(), "hTau at " + v);
        }
    }

    @Test
    void skE2() {
        SkE2 c = new SkE2(ONE, G);
        double[] cais = {1e-4, 2e-4, 4.3e-4, 1e-3, 5e-3};
        for (double cai : cais) {
            c.rates(cai);
            close(Math.pow(cai, 4.8) / (Math.pow(cai, 4.8) + Math.pow(4.3e-4, 4.8)), c.mInf(), "zInf at " + cai);
            assertEquals(1.0, c.mTau());
        }
        c.rates(4.3e-4);
        assertEquals(0.5, c.mInf(), 1e-15);
        // guard: calcium below 1e-7 mM is raised by 1e-7 mM
        c.rates(0);
        close(1 / (1 + Math.pow(4.3e-4 / 1e-7, 4.8)), c.mInf(), "zInf at cai 0");
        c.rates(5e-8);
        close(1 / (1 + Math.pow(4.3e-4 / 1.5e-7, 4.8)), c.mInf(), "zInf at cai 5e-8");
    }
}

package io.neurosurrogate.client.network;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A spike raster (time on x, neuron on y; excitatory neurons blue, inhibitory red) with the population rate below. */
public final class RasterPlot {
    private static final Color EXC = new Color(31, 90, 180);
    private static final Color INH = new Color(200, 40, 40);
    private static final Color AXIS = new Color(60, 60, 60);

    private RasterPlot() {
    }

    public static void write(Path png, String title, int neurons, int excitatory, int durationMs, long[] nodeIds, double[] timesMs) {
        int width = 1200;
        int height = 760;
        int left = 80;
        int right = 30;
        int top = 50;
        int rasterHeight = 480;
        int rateTop = top + rasterHeight + 40;
        int rateHeight = 140;
        int plotWidth = width - left - right;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(AXIS);
        g.drawString(title, left, 30);

        // Raster: one dot (2 x 2 px, or 1 px tall with many neurons) per spike.
        int dotH = neurons > rasterHeight ? 1 : 2;
        for (int i = 0; i < nodeIds.length; i++) {
            int x = left + (int) Math.round(timesMs[i] / durationMs * (plotWidth - 2));
            int y = top + rasterHeight - 1 - (int) ((nodeIds[i] + 0.5) / neurons * rasterHeight);
            g.setColor(nodeIds[i] < excitatory ? EXC : INH);
            g.fillRect(x, y, 2, dotH);
        }
        frame(g, left, top, plotWidth, rasterHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        yLabel(g, "neuron", left, top, rasterHeight);
        g.drawString("0", left - 20, top + rasterHeight);
        g.drawString(Integer.toString(neurons - 1), left - 8 - g.getFontMetrics().stringWidth(Integer.toString(neurons - 1)), top + 12);

        // Population rate in 5 ms bins (Hz per neuron).
        int bin = 5;
        int bins = Math.max(1, (durationMs + bin - 1) / bin);
        double[] rate = new double[bins];
        for (double t : timesMs) {
            rate[Math.min(bins - 1, (int) (t / bin))] += 1000.0 / bin / neurons;
        }
        double max = 1e-9;
        for (double r : rate) {
            max = Math.max(max, r);
        }
        g.setColor(EXC);
        g.setStroke(new BasicStroke(1.5f));
        for (int b = 1; b < bins; b++) {
            int x0 = left + (int) ((b - 1 + 0.5) * bin / durationMs * plotWidth);
            int x1 = left + (int) ((b + 0.5) * bin / durationMs * plotWidth);
            int y0 = rateTop + rateHeight - (int) (rate[b - 1] / max * (rateHeight - 4));
            int y1 = rateTop + rateHeight - (int) (rate[b] / max * (rateHeight - 4));
            g.drawLine(x0, y0, x1, y1);
        }
        g.setStroke(new BasicStroke(1f));
        frame(g, left, rateTop, plotWidth, rateHeight);
        yLabel(g, "rate (Hz)", left, rateTop, rateHeight);
        g.drawString(String.format(Locale.ROOT, "%.0f", max), left - 8 - g.getFontMetrics().stringWidth(String.format(Locale.ROOT, "%.0f", max)), rateTop + 12);
        g.drawString("0", left - 20, rateTop + rateHeight);

        // Time axis (shared).
        FontMetrics m = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            int t = (int) Math.round(durationMs * i / 10.0);
            int x = left + (int) ((double) t / durationMs * plotWidth);
            g.drawLine(x, rateTop + rateHeight, x, rateTop + rateHeight + 5);
            String s = Integer.toString(t);
            g.drawString(s, x - m.stringWidth(s) / 2, rateTop + rateHeight + 20);
        }
        g.drawString("time (ms)", left + plotWidth / 2 - m.stringWidth("time (ms)") / 2, rateTop + rateHeight + 42);
        g.dispose();
        try {
            if (png.getParent() != null) {
                Files.createDirectories(png.getParent());
            }
            ImageIO.write(image, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void frame(Graphics2D g, int x, int y, int w, int h) {
        g.setColor(AXIS);
        g.drawRect(x, y, w, h);
    }

    private static void yLabel(Graphics2D g, String label, int left, int top, int h) {
        Graphics2D r = (Graphics2D) g.create();
        r.setColor(AXIS);
        r.rotate(-Math.PI / 2);
        r.drawString(label, -(top + h / 2 + r.getFontMetrics().stringWidth(label) / 2), left - 45);
        r.dispose();
    }
}

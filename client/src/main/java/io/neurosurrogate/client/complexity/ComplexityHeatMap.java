package io.neurosurrogate.client.complexity;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code complexity.png}: test spike AUC over depth (rows, shallow at the top, as in the text table)
 * x width (columns). Each trained network's cell is coloured on a viridis scale and annotated with its
 * AUC and parameter count; cells at or above the target get a heavy border, the smallest of them a red
 * one; cells without a model are grey and say why. A colour bar on the right marks the target.
 *
 * <p>Drawn with java.awt rather than XChart's HeatMapChart: that chart ignores the value formatter for
 * its annotations, cannot mark individual cells, and refuses a grid where nothing has trained yet.
 */
public final class ComplexityHeatMap {
    /** Viridis (van der Walt &amp; Smith, matplotlib 2015) at 0, 1/4, 1/2, 3/4, 1: uniform and colour-blind safe. */
    private static final Color[] VIRIDIS = {new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b),
            new Color(0x21, 0x91, 0x8c), new Color(0x5e, 0xc9, 0x62), new Color(0xfd, 0xe7, 0x25)};
    private static final Color NO_MODEL = new Color(0xd9, 0xd9, 0xd9);
    private static final Color SMALLEST = new Color(0xe4, 0x1a, 0x1c);

    private ComplexityHeatMap() {
    }

    /** 800 x 600 pixels. */
    public static byte[] png(ComplexityReport report) {
        return png(report, 800, 600);
    }

    /** PNG bytes of the heat map, {@code width} x {@code height} pixels (at least 320 x 240). */
    public static byte[] png(ComplexityReport report, int width, int height) {
        if (width < 320 || height < 240) {
            throw new IllegalArgumentException("heat map needs at least 320 x 240 pixels, got " + width + " x " + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, report, width, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // An in-memory stream, not ImageIO.write's default file cache: that one registers a shutdown
        // hook, which fails when the heat map is drawn from a shutdown hook (Ctrl-C).
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the heat map as PNG", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void draw(Graphics2D g, ComplexityReport report, int width, int height) {
        ComplexityGrid grid = report.grid();
        double target = grid.targetAuc();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        // The colour range spans what was measured and the target, so the target lies on the scale and
        // a grid of near-equal AUCs still shows its differences.
        double lo = target;
        double hi = target;
        for (CellOutcome c : report.cells()) {
            if (c.succeeded()) {
                lo = Math.min(lo, c.testAuc());
                hi = Math.max(hi, c.testAuc());
            }
        }
        if (hi - lo < 0.002) {
            lo = hi - 0.002;
        }

        int left = 80;
        int right = 120;
        int top = 62;
        int bottom = 78;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        int cols = grid.widths().size();
        int rows = grid.depths().size();
        double cw = plotW / (double) cols;
        double ch = plotH / (double) rows;

        g.setColor(Color.BLACK);
        fitted(g, String.format(Locale.ROOT, "Functional complexity of %s", grid.neuron()), Font.BOLD, 18, width - 20, width / 2, 26);
        fitted(g, String.format(Locale.ROOT, "test spike AUC by depth x width; receptive field %d ms; target %s",
                grid.receptiveFieldMs(), ComplexityReport.plain(target)), Font.PLAIN, 13, width - 20, width / 2, 48);

        Optional<CellOutcome> smallest = report.smallest();
        Font value = fontFor(g, "0.0000*", Font.BOLD, 14, (int) (cw - 8));
        Font small = value.deriveFont(Font.PLAIN, Math.max(8f, value.getSize2D() - 2));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                CellOutcome c = report.cell(new ComplexityGrid.Point(grid.depths().get(i), grid.widths().get(j)));
                int x = left + (int) Math.round(j * cw);
                int y = top + (int) Math.round(i * ch);
                int w = left + (int) Math.round((j + 1) * cw) - x;
                int h = top + (int) Math.round((i + 1) * ch) - y;
                Color fill = c.succeeded() ? colour((c.testAuc() - lo) / (hi - lo)) : NO_MODEL;
                g.setColor(fill);
                g.fillRect(x, y, w, h);
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(x, y, w, h);
                Color ink = luminance(fill) > 0.45 ? Color.BLACK : Color.WHITE;
                if (c.succeeded()) {
                    centred(g, String.format(Locale.ROOT, "%.4f%s", c.testAuc(), c.reaches(target) ? "*" : ""), value, ink,
                            x + w / 2, y + h / 2 - (h > 40 ? small.getSize() / 2 : 0));
                    if (h > 40) {
                        centred(g, ComplexityReport.compact(c.parameters()) + " params", small, ink, x + w / 2, y + h / 2 + value.getSize());
                    }
                } else {
                    centred(g, c.status().name().toLowerCase(Locale.ROOT), small, Color.DARK_GRAY, x + w / 2, y + h / 2);
                }
                if (c.reaches(target)) {
                    boolean isSmallest = smallest.isPresent() && smallest.get().point().equals(c.point());
                    g.setColor(isSmallest ? SMALLEST : Color.BLACK);
                    g.setStroke(new BasicStroke(isSmallest ? 5f : 3f));
                    g.drawRect(x + 3, y + 3, w - 6, h - 6);
                }
            }
        }

        // axes
        g.setColor(Color.BLACK);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        for (int j = 0; j < cols; j++) {
            centred(g, Integer.toString(grid.widths().get(j)), tick, Color.BLACK, left + (int) ((j + 0.5) * cw), top + plotH + 16);
        }
        for (int i = 0; i < rows; i++) {
            String d = Integer.toString(grid.depths().get(i));
            g.setFont(tick);
            g.drawString(d, left - 10 - g.getFontMetrics().stringWidth(d), top + (int) ((i + 0.5) * ch) + 5);
        }
        Font axis = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        centred(g, "width (filters per layer)", axis, Color.BLACK, left + plotW / 2, top + plotH + 38);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, "depth (layers)", axis, Color.BLACK, -(top + plotH / 2), 30);
        g.setTransform(saved);
        fitted(g, "* / heavy border: reaches the target;  red border: smallest such network (fewest parameters)",
                Font.PLAIN, 12, width - 20, width / 2, height - 14);

        // colour bar
        int barX = left + plotW + 30;
        int barW = 22;
        for (int y = 0; y < plotH; y++) {
            g.setColor(colour(1.0 - y / (double) (plotH - 1)));
            g.fillRect(barX, top + y, barW, 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(barX, top, barW, plotH);
        g.setFont(tick.deriveFont(11f));
        g.drawString(String.format(Locale.ROOT, "%.4f", hi), barX + barW + 4, top + 10);
        g.drawString(String.format(Locale.ROOT, "%.4f", lo), barX + barW + 4, top + plotH);
        int ty = top + (int) Math.round((hi - target) / (hi - lo) * plotH);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(barX - 4, ty, barX + barW + 4, ty);
        g.drawString("target", barX + barW + 8, Math.max(top + 24, Math.min(top + plotH - 14, ty + 4)));
    }

    /** Viridis at {@code t} in [0, 1], linear between its five anchors. */
    static Color colour(double t) {
        double s = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
        int k = Math.min(VIRIDIS.length - 2, (int) s);
        double f = s - k;
        Color a = VIRIDIS[k];
        Color b = VIRIDIS[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }

    private static Font fontFor(Graphics2D g, String sample, int style, int size, int maxWidth) {
        Font f = new Font(Font.SANS_SERIF, style, size);
        while (f.getSize() > 7 && g.getFontMetrics(f).stringWidth(sample) > maxWidth) {
            f = f.deriveFont((float) f.getSize() - 1);
        }
        return f;
    }

    private static void fitted(Graphics2D g, String text, int style, int size, int maxWidth, int cx, int baseline) {
        Font f = fontFor(g, text, style, size, maxWidth);
        g.setFont(f);
        g.setColor(Color.BLACK);
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    private static void centred(Graphics2D g, String text, Font font, Color ink, int cx, int cy) {
        g.setFont(font);
        g.setColor(ink);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cx - fm.stringWidth(text) / 2, cy + (fm.getAscent() - fm.getDescent()) / 2);
    }
}

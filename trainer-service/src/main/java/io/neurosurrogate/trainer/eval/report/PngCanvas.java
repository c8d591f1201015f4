package io.neurosurrogate.trainer.eval.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * One report image: XChart charts placed side by side or stacked (XChart has no subplots) and
 * lines of text, on a white background, encoded as PNG (no time stamp or other varying metadata).
 */
final class PngCanvas {
    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    /** Draws {@code chart} at its own size with its top-left corner at (x, y); returns y below it. */
    int chart(XYChart chart, int x, int y) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart), x, y, null);
        return y + chart.getHeight();
    }

    /** Lines of text from (x, y) downwards; returns y below the last line. */
    int text(List<String> lines, int x, int y, Font font, Color color) {
        g.setFont(font);
        g.setColor(color);
        FontMetrics m = g.getFontMetrics();
        int baseline = y + m.getAscent();
        for (String line : lines) {
            g.drawString(line, x, baseline);
            baseline += m.getHeight() + 3;
        }
        return baseline - m.getAscent();
    }

    /** A line of text centred horizontally at height y. */
    void centred(String line, int y, Font font, Color color) {
        g.setFont(font);
        g.setColor(color);
        FontMetrics m = g.getFontMetrics();
        g.drawString(line, (image.getWidth() - m.stringWidth(line)) / 2, y + m.getAscent());
    }

    byte[] png() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no PNG writer in this JVM");
        }
        ImageWriter writer = writers.next();
        // In memory: ImageIO.write would cache through a temporary file.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding PNG", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A whole image that says only {@code title} and {@code message} (no data to plot). */
    static byte[] message(String title, String message) {
        PngCanvas c = new PngCanvas(ReportStyle.WIDTH, ReportStyle.HEIGHT);
        c.centred(title, 40, ReportStyle.TITLE_FONT, ReportStyle.TEXT);
        c.centred(message, ReportStyle.HEIGHT / 2 - 12, new Font(Font.SANS_SERIF, Font.PLAIN, 22), ReportStyle.SIMULATED);
        return c.png();
    }
}

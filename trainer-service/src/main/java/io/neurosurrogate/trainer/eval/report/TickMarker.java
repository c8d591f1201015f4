package io.neurosurrogate.trainer.eval.report;

import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;

/** A vertical tick, the usual mark of one spike in a raster plot. */
final class TickMarker extends Marker {
    private static final BasicStroke STROKE = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);

    @Override
    public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
        g.setStroke(STROKE);
        g.draw(new Line2D.Double(xOffset, yOffset - markerSize / 2.0, xOffset, yOffset + markerSize / 2.0));
    }
}

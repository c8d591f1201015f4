package io.neurosurrogate.trainer.eval.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;

/** The one look of all report figures: size, white background, fonts, colours (Okabe-Ito, colour-blind safe). */
final class ReportStyle {
    static final int WIDTH = 1000;
    static final int HEIGHT = 700;

    static final Color SIMULATED = new Color(120, 120, 120);
    static final Color PREDICTED = new Color(0, 114, 178);
    static final Color THRESHOLD = new Color(213, 94, 0);
    static final Color SECOND = new Color(0, 158, 115);
    static final Color THIRD = new Color(204, 121, 167);
    static final Color CHANCE = new Color(150, 150, 150);
    static final Color TEXT = new Color(30, 30, 30);

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);

    /** Same left axis width in stacked panels, so their time axes line up. */
    static final int STACKED_Y_AXIS_WIDTH = 80;

    private ReportStyle() {
    }

    static XYChart chart(int width, int height, String title, String xAxisTitle, String yAxisTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title == null ? "" : title)
                .xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(90, 90, 90));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setChartTitleVisible(title != null && !title.isEmpty());
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(TITLE_FONT);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setLegendFont(LEGEND_FONT);
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setLegendPosition(Styler.LegendPosition.InsideSE);
        s.setLegendSeriesLineLength(28);
        s.setChartPadding(10);
        s.setPlotMargin(4);
        s.setAntiAlias(true);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setToolTipsEnabled(false);
        return chart;
    }

    /** A plain line series without markers. */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        return series;
    }

    /** A dashed line series without markers (thresholds, chance levels). */
    static XYSeries dashed(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = line(chart, name, x, y, color, 1.6f);
        series.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f));
        return series;
    }

    /** Stacked panels: same left axis width, legend below the plot so all plot areas span the same x range. */
    static void stacked(XYChart chart) {
        XYStyler s = chart.getStyler();
        s.setYAxisLeftWidthHint(STACKED_Y_AXIS_WIDTH);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
    }

    /** Numbers in labels: fixed locale, so equal input gives equal images everywhere. */
    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : format("%.1f %%", 100 * fraction);
    }

    static String number(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : format("%." + decimals + "f", v);
    }
}

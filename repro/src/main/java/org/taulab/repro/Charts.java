package org.taulab.repro;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The reproduction figures' common look: XChart line charts, grouped bars and heatmaps, 720×440, white, legend
 * outside on the right.
 */
public final class Charts {
    public static final int WIDTH = 720;
    public static final int HEIGHT = 440;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };

    private Charts() {
    }

    public static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xe4e4e4));
        s.setSeriesColors(PALETTE);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    /** A solid line with round markers. */
    public static XYSeries series(XYChart chart, String name, List<Double> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    /** A horizontal reference line (e.g. the pretrained model) across {@code [x0, x1]}, dashed. */
    public static XYSeries reference(XYChart chart, String name, double x0, double x1, double y, Color color) {
        XYSeries s = chart.addSeries(name, new double[] {x0, x1}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return s;
    }

    /** Grouped bars: one group per category (a task), one bar per series (a method), in the maps' order. */
    public static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories,
                                     Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 180).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        org.knowm.xchart.style.CategoryStyler st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe4e4e4));
        st.setSeriesColors(PALETTE);
        st.setXAxisLabelRotation(30);
        st.setAvailableSpaceFill(0.85);
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            if (e.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().size() + " values for "
                        + categories.size() + " categories");
            }
            chart.addSeries(e.getKey(), categories, e.getValue());
        }
        return chart;
    }

    /**
     * A heatmap of {@code z[row][column]}, rows labelled {@code rowLabels} from the top down, columns
     * {@code columnLabels} from the left; every cell shows its value (NaN cells are left empty). Colours run
     * from white at the smallest value to dark red at the largest.
     */
    public static HeatMapChart heatmap(String title, String xTitle, String yTitle, List<String> columnLabels,
                                       List<String> rowLabels, double[][] z) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH + 120).height(HEIGHT + 40).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0xfdae61), new Color(0xb40426)});
        chart.getStyler().setXAxisLabelRotation(40);
        int rows = rowLabels.size();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            if (z[i].length != columnLabels.size()) {
                throw new IllegalArgumentException("heatmap row " + i + " has " + z[i].length + " values for " + columnLabels.size() + " columns");
            }
            for (int j = 0; j < z[i].length; j++) {
                if (!Double.isNaN(z[i][j])) {
                    // XChart's y index 0 is the bottom row
                    cells.add(new Number[] {j, rows - 1 - i, z[i][j]});
                    min = Math.min(min, z[i][j]);
                    max = Math.max(max, z[i][j]);
                }
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("heatmap '" + title + "' has no values");
        }
        chart.getStyler().setMin(min);
        chart.getStyler().setMax(max > min ? max : min + 1);
        List<String> bottomUp = new ArrayList<>(rowLabels);
        java.util.Collections.reverse(bottomUp);
        chart.addSeries(title, columnLabels, bottomUp, cells);
        return chart;
    }

    public static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }
}

package org.taulab.repro.cart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.taulab.repro.Charts;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class CartFiguresTest {
    private static Table spectrum(Object[][] matrices) {
        StringColumn task = StringColumn.create("task");
        StringColumn tensor = StringColumn.create("tensor");
        IntColumn index = IntColumn.create("index");
        DoubleColumn sigma = DoubleColumn.create("sigma");
        for (Object[] m : matrices) {
            double[] s = (double[]) m[2];
            for (int j = 0; j < s.length; j++) {
                task.append((String) m[0]);
                tensor.append((String) m[1]);
                index.append(j + 1);
                sigma.append(s[j]);
            }
        }
        return Table.create("spectra", task, tensor, index, sigma);
    }

    @Test
    void theMeanSpectrumAveragesSigmaOverSigmaOneAtTheSameRankRatio() {
        // A (p = 4): 1, .5, .25, .125 normalized; B (p = 2): 1, 1; the zero matrix C is left out.
        // At q = 1/4 … 1: A's index ⌈4q⌉ = 1..4, B's ⌈2q⌉ = 1, 1, 2, 2.
        Table t = spectrum(new Object[][] {
            {"a", "w", new double[] {4, 2, 1, 0.5}}, {"b", "w", new double[] {2, 2}}, {"a", "z", new double[] {0, 0, 0}}});
        List<Double> mean = CartFigures.meanNormalizedSpectrum(t, 4);
        assertEquals(List.of(1.0, 0.75, 0.625, 0.5625), mean);
    }

    @Test
    void sameTensorNameOfDifferentTasksIsTwoMatrices() {
        Table t = spectrum(new Object[][] {{"a", "w", new double[] {1, 0}}, {"b", "w", new double[] {1, 1}}});
        assertEquals(List.of(1.0, 0.5), CartFigures.meanNormalizedSpectrum(t, 2));
    }

    @Test
    void theSearchGridPlacesEachPointAtItsRankAndLambdaAndLeavesTheRestEmpty() {
        Table points = Table.create("search", StringColumn.create("rank", "0.04", "0.08", "0.08"),
                StringColumn.create("lambda", "1.0", "0.2", "2.0"), DoubleColumn.create("score", 0.5123, 0.61, 0.7));
        double[][] z = CartFigures.searchGrid(points, List.of(0.04, 0.08), List.of(0.2, 1.0, 2.0));
        assertArrayEquals(new double[] {Double.NaN, 51.2, Double.NaN}, z[0]);
        assertArrayEquals(new double[] {61.0, Double.NaN, 70.0}, z[1]);
    }

    @Test
    void aHeatmapDrawsTheFirstRowAtTheTopAndSkipsEmptyCells() {
        double[][] z = {{1, Double.NaN}, {3, 4}};
        HeatMapChart chart = Charts.heatmap("h", "x", "y", List.of("c0", "c1"), List.of("r0", "r1"), z);
        List<Number[]> cells = new ArrayList<>(chart.getSeriesMap().get("h").getHeatData());
        assertEquals(3, cells.size());
        // r0 (first row) has y index 1 = the top of a 2-row heatmap
        assertArrayEquals(new Number[] {0, 1, 1.0}, cells.get(0));
        assertArrayEquals(new Number[] {0, 0, 3.0}, cells.get(1));
        assertArrayEquals(new Number[] {1, 0, 4.0}, cells.get(2));
        assertEquals(1.0, chart.getStyler().getMin());
        assertEquals(4.0, chart.getStyler().getMax());
        assertThrows(IllegalArgumentException.class, () -> Charts.heatmap("h", "x", "y", List.of("c0"), List.of("r0"), new double[][] {{1, 2}}));
    }

    @Test
    void barsHaveOneSeriesPerMethodAndOneValuePerTask() {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("TA", List.of(50.0, 60.0));
        series.put("CART", List.of(70.0, 80.0));
        CategoryChart chart = Charts.bars("b", "task", "acc", List.of("digits", "fashion"), series);
        assertEquals(List.of("TA", "CART"), new ArrayList<>(chart.getSeriesMap().keySet()));
        List<Number> y = new ArrayList<>();
        chart.getSeriesMap().get("CART").getYData().forEach(y::add);
        assertEquals(List.of(70.0, 80.0), y);
        series.put("bad", List.of(1.0));
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("b", "task", "acc", List.of("digits", "fashion"), series));
        assertTrue(chart.getWidth() > 0);
    }
}

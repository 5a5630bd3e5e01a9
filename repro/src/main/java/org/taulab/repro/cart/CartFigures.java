package org.taulab.repro.cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.taulab.repro.Charts;
import org.taulab.repro.Format;
import org.taulab.repro.ReproContext;
import tech.tablesaw.api.Table;

/** The CART notebook's figures beyond its line charts: per-task bars, the search as a heatmap, singular spectra. */
final class CartFigures {
    /** The rank ratios (in %) at which the mean spectra are drawn: 1 … 100. */
    static final int SPECTRUM_POINTS = 100;

    private CartFigures() {
    }

    /** Test accuracy per task, one bar per method (the per-task table as a figure). */
    static CategoryChart perTaskBars(ReproContext ctx, String title, List<CartStudy.Row> rows) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (CartStudy.Row r : rows) {
            List<Double> y = new ArrayList<>();
            for (String task : ctx.zoo().tasks()) {
                y.add(Format.pct(r.test().of(task)));
            }
            series.put(r.method().replace(" (each task's own model)", ""), y);
        }
        return Charts.bars(title, "task", "test accuracy (%)", ctx.zoo().tasks(), series);
    }

    /** CART's search on val as a rank × λ heatmap of the val average (%), rows = rank ratios, columns = λ. */
    static HeatMapChart searchHeatmap(CartStudy s) {
        CartStudy.Row cart = s.cart();
        double[][] z = searchGrid(cart.searches().get(0), s.cartRanks(), s.cartLambdas());
        List<String> ranks = s.cartRanks().stream().map(r -> Format.num(100 * r) + " %").toList();
        List<String> lambdas = s.cartLambdas().stream().map(Format::num).toList();
        return Charts.heatmap("CART search: val average accuracy (%) by rank and λ; chosen " + cart.selected(), "λ", "rank ratio",
                lambdas, ranks, z);
    }

    /** The search's val score (%, one decimal) at every (rank, λ) of the grids; NaN where the search has no point. */
    static double[][] searchGrid(Table points, List<Double> ranks, List<Double> lambdas) {
        double[][] z = new double[ranks.size()][lambdas.size()];
        for (double[] row : z) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int i = 0; i < points.rowCount(); i++) {
            int r = ranks.indexOf(Double.parseDouble(points.stringColumn("rank").get(i)));
            int l = lambdas.indexOf(Double.parseDouble(points.stringColumn("lambda").get(i)));
            if (r >= 0 && l >= 0) {
                z[r][l] = Format.pct(points.doubleColumn("score").get(i));
            }
        }
        return z;
    }

    /**
     * The singular spectra of the original and the centered task vectors, σ_j / σ_1 against the rank ratio j / p (%),
     * each the mean over tasks and selected matrices (log scale).
     */
    static XYChart spectra(Table original, Table centered) {
        XYChart chart = Charts.lines("Singular spectra σ_j / σ_1 of the task vectors, mean over tasks and matrices", "rank ratio j / p (%)",
                "σ_j / σ_1");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        List<Double> x = new ArrayList<>();
        for (int i = 1; i <= SPECTRUM_POINTS; i++) {
            x.add(100.0 * i / SPECTRUM_POINTS);
        }
        Charts.series(chart, "original τ_t = θ_t − θ_pre", x, meanNormalizedSpectrum(original, SPECTRUM_POINTS))
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        Charts.series(chart, "centered ν_t = θ_t − θ_avg", x, meanNormalizedSpectrum(centered, SPECTRUM_POINTS))
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        return chart;
    }

    /**
     * From an {@code Analyses.spectrum} table (task, tensor, index, sigma; indexes 1 … p in order per matrix), the
     * mean over matrices of σ_j / σ_1 at j = ⌈q p⌉ for q = 1/points … 1. A matrix whose σ_1 is 0 is left out; values
     * are floored at 1e-12 so that a log axis can show them.
     */
    static List<Double> meanNormalizedSpectrum(Table spectrum, int points) {
        Map<String, List<Double>> byMatrix = new LinkedHashMap<>();
        for (int i = 0; i < spectrum.rowCount(); i++) {
            String key = spectrum.stringColumn("task").get(i) + "\u0000" + spectrum.stringColumn("tensor").get(i);
            byMatrix.computeIfAbsent(key, k -> new ArrayList<>()).add(spectrum.doubleColumn("sigma").get(i));
        }
        double[] sum = new double[points];
        int used = 0;
        for (List<Double> s : byMatrix.values()) {
            double first = s.get(0);
            if (!(first > 0)) {
                continue;
            }
            used++;
            int p = s.size();
            for (int q = 1; q <= points; q++) {
                int j = (int) Math.ceil((double) q * p / points);
                sum[q - 1] += s.get(j - 1) / first;
            }
        }
        List<Double> mean = new ArrayList<>();
        for (double v : sum) {
            mean.add(used == 0 ? Double.NaN : Math.max(1e-12, v / used));
        }
        return mean;
    }
}

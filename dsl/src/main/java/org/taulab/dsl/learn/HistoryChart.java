package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The history of a learned merge as a chart: val normalized accuracy (%) against epochs run, one series per outer iteration. */
final class HistoryChart {
    private HistoryChart() {
    }

    static XYChart of(LearnResult result) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(result.method() + ": val accuracy per epoch")
                .xAxisTitle("epoch (cumulative)").yAxisTitle("normalized val accuracy (%)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        History h = result.history();
        List<EpochRecord> epochs = h.epochs();
        double start = 100 * h.initialNormalized();
        double previous = start;
        int x = 0;
        int i = 0;
        while (i < epochs.size()) {
            int iteration = epochs.get(i).iteration();
            List<Double> xs = new ArrayList<>(List.of((double) x));
            List<Double> ys = new ArrayList<>(List.of(previous));
            while (i < epochs.size() && epochs.get(i).iteration() == iteration) {
                xs.add((double) ++x);
                ys.add(100 * epochs.get(i).valNormalized());
                if (h.kept(i)) {
                    previous = ys.get(ys.size() - 1); // the next iteration starts from the kept coefficients
                }
                i++;
            }
            XYSeries s = chart.addSeries("iteration " + iteration, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (epochs.isEmpty()) {
            chart.addSeries("θ0", List.of(0.0), List.of(start));
        }
        return chart;
    }
}

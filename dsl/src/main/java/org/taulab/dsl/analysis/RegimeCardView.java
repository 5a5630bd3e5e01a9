package org.taulab.dsl.analysis;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A regime card as tables and figures: the summary beside CLIP ViT-B/32, per task, the cosines, the checks. */
public final class RegimeCardView {
    private RegimeCardView() {
    }

    /** Pretrained, individual, weight averaging and task arithmetic: absolute and as a fraction of the gap, beside CLIP's. */
    public static Table summary(RegimeCard c) {
        StringColumn row = StringColumn.create("");
        DoubleColumn acc = DoubleColumn.create(c.zoo() + " (" + c.split() + ", %)");
        DoubleColumn gap = DoubleColumn.create("fraction of gap");
        DoubleColumn clip = DoubleColumn.create("CLIP ViT-B/32 (test, %)");
        DoubleColumn clipGap = DoubleColumn.create("CLIP fraction of gap");
        double clipSpan = RegimeCard.CLIP_INDIVIDUAL - RegimeCard.CLIP_PRETRAINED;
        Object[][] rows = {
            {"pretrained", c.pretrained(), RegimeCard.CLIP_PRETRAINED},
            {"individual", c.individual(), RegimeCard.CLIP_INDIVIDUAL},
            {"weight averaging", c.average(), RegimeCard.CLIP_AVERAGE},
            {"task arithmetic (λ " + c.taLambda() + " on val)", c.taskArithmetic(), RegimeCard.CLIP_TASK_ARITHMETIC},
        };
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Double> m = (Map<String, Double>) r[1];
            double clipValue = (Double) r[2];
            row.append((String) r[0]);
            acc.append(RegimeCard.r1(100 * RegimeCard.mean(m)));
            gap.append(RegimeCard.r2(c.gapFraction(m)));
            clip.append(clipValue);
            clipGap.append(RegimeCard.r2((clipValue - RegimeCard.CLIP_PRETRAINED) / clipSpan));
        }
        return Table.create("regime card: " + c.zoo() + " on " + c.split() + " beside CLIP ViT-B/32")
                .addColumns(row, acc, gap, clip, clipGap);
    }

    public static Table perTask(RegimeCard c) {
        StringColumn task = StringColumn.create("task");
        DoubleColumn pre = DoubleColumn.create("pretrained");
        DoubleColumn ind = DoubleColumn.create("individual");
        DoubleColumn avg = DoubleColumn.create("weight averaging");
        DoubleColumn ta = DoubleColumn.create("task arithmetic");
        DoubleColumn ratio = DoubleColumn.create("‖τ‖ / ‖θ_pre‖");
        for (String t : c.tasks()) {
            task.append(t);
            pre.append(RegimeCard.r1(100 * c.pretrained().get(t)));
            ind.append(RegimeCard.r1(100 * c.individual().get(t)));
            avg.append(RegimeCard.r1(100 * c.average().get(t)));
            ta.append(RegimeCard.r1(100 * c.taskArithmetic().get(t)));
            ratio.append(RegimeCard.r3(c.tauRatio().get(t)));
        }
        return Table.create(c.zoo() + " per task (" + c.split() + ", %)").addColumns(task, pre, ind, avg, ta, ratio);
    }

    public static Table cosines(RegimeCard c) {
        Table t = Table.create(c.zoo() + ": cosine similarity of the task vectors (all float tensors flattened)");
        t.addColumns(StringColumn.create("task", c.tasks()));
        for (int j = 0; j < c.tasks().size(); j++) {
            DoubleColumn col = DoubleColumn.create(c.tasks().get(j));
            for (int i = 0; i < c.tasks().size(); i++) {
                col.append(RegimeCard.r3(c.cosine()[i][j]));
            }
            t.addColumns(col);
        }
        return t;
    }

    public static Table checks(RegimeCard c) {
        StringColumn crit = StringColumn.create("criterion");
        StringColumn measured = StringColumn.create("measured (" + c.split() + ")");
        StringColumn met = StringColumn.create("met");
        for (RegimeCard.Check k : c.checks()) {
            crit.append(k.criterion());
            measured.append(k.measured());
            met.append(k.met() ? "✓" : "✗");
        }
        return Table.create(c.zoo() + ": the regime's criteria").addColumns(crit, measured, met);
    }

    /** The cosine matrix as a heatmap (blue negative, white 0, red 1). */
    public static HeatMapChart cosineHeatmap(RegimeCard c) {
        HeatMapChart chart = new HeatMapChartBuilder().width(640).height(560)
                .title(c.zoo() + ": task-vector cosine similarity").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setXAxisLabelRotation(40);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x3b4cc0), Color.WHITE, new Color(0xb40426)});
        chart.getStyler().setMin(-1);
        chart.getStyler().setMax(1);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(true);
        int n = c.tasks().size();
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cells.add(new Number[] {i, n - 1 - j, RegimeCard.r2(c.cosine()[j][i])});
            }
        }
        List<String> reversed = new ArrayList<>(c.tasks());
        java.util.Collections.reverse(reversed);
        chart.addSeries("cosine", c.tasks(), reversed, cells);
        return chart;
    }

    /** Own-task accuracy along θ_pre + λ τ_t for every task, and the task average along θ_pre → θ_avg. */
    public static XYChart linearPaths(RegimeCard c) {
        XYChart chart = new XYChartBuilder().width(760).height(460)
                .title(c.zoo() + ": linear paths from the pretrained model (" + c.split() + ")")
                .xAxisTitle("λ").yAxisTitle("accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        for (String t : c.tasks()) {
            XYSeries s = chart.addSeries("θ_pre + λ τ(" + t + "), own task", c.pathLambdas(), percent(c.ownPaths().get(t)));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        XYSeries avg = chart.addSeries("θ_pre → θ_avg, mean of tasks", c.pathLambdas(), percent(c.averagePath()));
        avg.setMarker(SeriesMarkers.DIAMOND);
        avg.setLineColor(Color.BLACK);
        avg.setMarkerColor(Color.BLACK);
        avg.setLineWidth(3f);
        return chart;
    }

    private static List<Double> percent(List<Double> v) {
        return v.stream().map(x -> 100 * x).toList();
    }
}

package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Exhaustive search of a merge's parameters: every point of the grid is merged and scored (for example
 * by validation accuracy), the best score wins and the first point wins a tie. The merge inputs are
 * shared, so decompositions are computed once for the whole grid (at the grid's largest rank, when it has ranks).
 */
public final class GridSearch {
    private GridSearch() {
    }

    /** The winning parameters and merge, and a table with one row per grid point. */
    public record Result(Map<String, Object> best, double bestScore, MergeResult bestMerge, Table points) {
    }

    public static Result run(Merge merge, Map<String, List<?>> grid, MergeInputs inputs,
                             ToDoubleFunction<Weights> score, Progress progress) {
        List<String> names = new ArrayList<>(grid.keySet());
        for (String n : names) {
            if (grid.get(n).isEmpty()) {
                throw new TauLabException(merge.method() + ": the grid for " + n + " is empty");
            }
            merge.with(n, grid.get(n).get(0));
        }
        if (grid.containsKey("rank")) {
            inputs.planRanks(grid.get("rank"));
        }
        List<Map<String, Object>> points = cartesian(names, grid);
        Table table = Table.create(merge.method() + " search");
        for (String n : names) {
            table.addColumns(StringColumn.create(n));
        }
        table.addColumns(DoubleColumn.create("score"));
        Map<String, Object> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        MergeResult bestMerge = null;
        int done = 0;
        for (Map<String, Object> point : points) {
            Merge m = merge;
            for (Map.Entry<String, Object> e : point.entrySet()) {
                m = m.with(e.getKey(), e.getValue());
            }
            MergeResult result = m.apply(inputs);
            double s = score.applyAsDouble(result.weights());
            for (String n : names) {
                table.stringColumn(n).append(String.valueOf(point.get(n)));
            }
            table.doubleColumn("score").append(s);
            if (!Double.isNaN(s) && (best == null || s > bestScore)) {
                best = point;
                bestScore = s;
                bestMerge = result;
            }
            progress.update(merge.method() + " search", ++done, points.size());
        }
        if (best == null) {
            throw new TauLabException(merge.method() + ": every grid point scored NaN");
        }
        return new Result(best, bestScore, bestMerge, table);
    }

    public static Result run(Merge merge, Map<String, List<?>> grid, MergeInputs inputs, ToDoubleFunction<Weights> score) {
        return run(merge, grid, inputs, score, Progress.session());
    }

    private static List<Map<String, Object>> cartesian(List<String> names, Map<String, List<?>> grid) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (String n : names) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : grid.get(n)) {
                    Map<String, Object> p = new LinkedHashMap<>(partial);
                    p.put(n, v);
                    next.add(p);
                }
            }
            out = next;
        }
        return out;
    }
}

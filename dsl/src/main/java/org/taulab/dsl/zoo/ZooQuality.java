package org.taulab.dsl.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.Progress;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.merge.AverageMerge;
import org.taulab.dsl.merge.GridSearch;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Measures what makes a zoo a good merging benchmark, on test: pretrained and individual accuracy,
 * task arithmetic at its best λ chosen on val, and weight averaging.
 */
public final class ZooQuality {
    private ZooQuality() {
    }

    public record Report(Map<String, Double> pretrained, Map<String, Double> individual, double taLambda,
                         Map<String, Double> taskArithmetic, Map<String, Double> average, Table table) {
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("split", "test");
            m.put("pretrained_avg", round(mean(pretrained)));
            m.put("individual_avg", round(mean(individual)));
            m.put("task_arithmetic_lambda_on_val", taLambda);
            m.put("task_arithmetic_avg", round(mean(taskArithmetic)));
            m.put("weight_average_avg", round(mean(average)));
            Map<String, Object> perTask = new LinkedHashMap<>();
            pretrained.forEach((t, v) -> perTask.put(t, Map.of("pretrained", round(100 * v), "individual", round(100 * individual.get(t)),
                    "task_arithmetic", round(100 * taskArithmetic.get(t)), "weight_average", round(100 * average.get(t)))));
            m.put("tasks", perTask);
            return m;
        }
    }

    static double mean(Map<String, Double> m) {
        return 100 * m.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double round(double percent) {
        return Math.round(percent * 10) / 10.0;
    }

    public static Report measure(Zoo zoo, Progress progress) {
        ZooEvaluator ev = ZooEvaluator.of(zoo);
        Weights pre = zoo.pretrained();
        List<Weights> fts = new ArrayList<>(zoo.finetuned().values());
        MergeInputs in = new MergeInputs(pre, fts, zoo.tasks());
        Map<String, Double> pretrained = ev.accuracies(pre, "test", progress);
        Map<String, Double> individual = ev.individual("test");
        List<Double> grid = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            grid.add(i * 0.05);
        }
        GridSearch.Result search = GridSearch.run(new TaskArithmeticMerge(), Map.of("lambda", grid), in,
                w -> ev.averageAccuracy(w, "val"), progress);
        double lambda = ((Number) search.best().get("lambda")).doubleValue();
        Map<String, Double> ta = ev.accuracies(search.bestMerge().weights(), "test", progress);
        Map<String, Double> avg = ev.accuracies(new AverageMerge().merge(in), "test", progress);
        StringColumn task = StringColumn.create("task");
        DoubleColumn[] cols = {DoubleColumn.create("pretrained"), DoubleColumn.create("individual"),
            DoubleColumn.create("task arithmetic (λ=" + Math.round(lambda * 100) / 100.0 + ")"), DoubleColumn.create("weight averaging")};
        List<Map<String, Double>> rows = List.of(pretrained, individual, ta, avg);
        for (String t : zoo.tasks()) {
            task.append(t);
            for (int c = 0; c < cols.length; c++) {
                cols[c].append(100 * rows.get(c).get(t));
            }
        }
        task.append("average");
        for (int c = 0; c < cols.length; c++) {
            cols[c].append(mean(rows.get(c)));
        }
        Table table = Table.create("zoo " + zoo.name() + ": test accuracy (%)").addColumns(task);
        table.addColumns(cols);
        return new Report(pretrained, individual, lambda, ta, avg, table);
    }
}

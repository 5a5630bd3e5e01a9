package org.taulab.dsl.analysis;

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
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * Whether a zoo is in the regime the merging papers study, measured the way CLIP ViT-B/32's figures are:
 * pretrained, individual, weight averaging and task arithmetic (λ chosen on val) on one split, each also as the
 * fraction of the pretrained-to-individual gap it recovers; the task vectors' cosines and sizes; and the linear
 * paths θ_pre → θ_t (own task) and θ_pre → θ_avg (all tasks). Accuracies are fractions in [0, 1].
 */
public record RegimeCard(String zoo, String split, List<String> tasks, Map<String, Double> pretrained,
                         Map<String, Double> individual, Map<String, Double> average, Map<String, Double> taskArithmetic,
                         double taLambda, double[][] cosine, Map<String, Double> tauRatio, List<Double> pathLambdas,
                         Map<String, List<Double>> ownPaths, List<Double> averagePath) {

    /** CLIP ViT-B/32 on its eight tasks (CART's Table 1, test, %), and its task vectors' cosines (Ilharco et al.). */
    public static final double CLIP_PRETRAINED = 48.0;
    public static final double CLIP_INDIVIDUAL = 90.5;
    public static final double CLIP_AVERAGE = 65.9;
    public static final double CLIP_TASK_ARITHMETIC = 69.1;
    public static final String CLIP_COSINE = "about 0.01-0.03";

    public static final List<Double> TA_GRID = grid(0.05, 1.0, 0.05);
    public static final List<Double> PATH = grid(0.0, 1.0, 0.1);

    private static List<Double> grid(double from, double to, double step) {
        List<Double> g = new ArrayList<>();
        for (int i = 0; from + i * step <= to + 1e-9; i++) {
            g.add(Math.round((from + i * step) * 1000) / 1000.0);
        }
        return List.copyOf(g);
    }

    /** Measures the card on {@code split} (val or test) on the full splits; task arithmetic's λ is always chosen on val. */
    public static RegimeCard measure(Zoo zoo, String split, Progress progress) {
        return measure(zoo, ZooEvaluator.of(zoo), split, progress);
    }

    private static Map<String, Double> all(ZooEvaluator scorer, Weights w, List<String> tasks, String split) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String t : tasks) {
            out.put(t, scorer.accuracy(w, t, split));
        }
        return out;
    }

    /** The card scored by {@code scorer} (e.g. a notebook's quick-mode samples). */
    public static RegimeCard measure(Zoo zoo, ZooEvaluator scorer, String split, Progress progress) {
        Weights pre = zoo.pretrained();
        List<String> tasks = zoo.tasks();
        List<Weights> fts = new ArrayList<>(zoo.finetuned().values());
        MergeInputs in = new MergeInputs(pre, fts, tasks);
        Map<String, Double> pretrained = all(scorer, pre, tasks, split);
        Map<String, Double> individual = scorer.individual(split);
        GridSearch.Result search = GridSearch.run(new TaskArithmeticMerge(), Map.of("lambda", TA_GRID), in,
                w -> mean(all(scorer, w, tasks, "val")), progress);
        double lambda = ((Number) search.best().get("lambda")).doubleValue();
        Map<String, Double> ta = all(scorer, search.bestMerge().weights(), tasks, split);
        Weights avgWeights = new AverageMerge().merge(in);
        Map<String, Double> avg = all(scorer, avgWeights, tasks, split);

        List<TaskVector> taus = in.taskVectors();
        int n = tasks.size();
        double[][] cos = new double[n][n];
        Map<String, Double> ratio = new LinkedHashMap<>();
        double preNorm = pre.norm();
        for (int i = 0; i < n; i++) {
            ratio.put(tasks.get(i), taus.get(i).norm() / preNorm);
            for (int j = 0; j < n; j++) {
                cos[i][j] = i == j ? 1.0 : j < i ? cos[j][i] : taus.get(i).cos(taus.get(j));
            }
        }
        Map<String, List<Double>> own = new LinkedHashMap<>();
        int step = 0;
        int steps = n * PATH.size() + PATH.size();
        for (int i = 0; i < n; i++) {
            List<Double> acc = new ArrayList<>();
            for (double l : PATH) {
                Weights w = pre.plus(taus.get(i).times(l));
                acc.add(scorer.accuracy(w, tasks.get(i), split));
                w.close();
                progress.update("regime card: linear paths", ++step, steps);
            }
            own.put(tasks.get(i), acc);
        }
        List<Double> avgPath = new ArrayList<>();
        TaskVector toAverage = avgWeights.minus(pre);
        for (double l : PATH) {
            Weights w = pre.plus(toAverage.times(l));
            avgPath.add(mean(all(scorer, w, tasks, split)));
            w.close();
            progress.update("regime card: linear paths", ++step, steps);
        }
        return new RegimeCard(zoo.name(), split, tasks, pretrained, individual, avg, ta, lambda, cos, ratio, PATH, own, avgPath);
    }

    public static double mean(Map<String, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The fraction of the pretrained-to-individual gap (of the task averages) that {@code merged} recovers. */
    public double gapFraction(Map<String, Double> merged) {
        return (mean(merged) - mean(pretrained)) / (mean(individual) - mean(pretrained));
    }

    public double meanAbsCosine() {
        double s = 0;
        int k = 0;
        for (int i = 0; i < cosine.length; i++) {
            for (int j = i + 1; j < cosine.length; j++) {
                s += Math.abs(cosine[i][j]);
                k++;
            }
        }
        return k == 0 ? 0 : s / k;
    }

    public double maxAbsCosine() {
        double m = 0;
        for (int i = 0; i < cosine.length; i++) {
            for (int j = i + 1; j < cosine.length; j++) {
                m = Math.max(m, Math.abs(cosine[i][j]));
            }
        }
        return m;
    }

    /** One acceptance criterion of the regime and whether this card meets it. */
    public record Check(String criterion, String measured, boolean met) {
    }

    /** The regime's criteria: what a zoo must show to stand in for CLIP ViT-B/32 in the merging papers' claims. */
    public List<Check> checks() {
        List<Check> out = new ArrayList<>();
        double pre = 100 * mean(pretrained);
        double ind = 100 * mean(individual);
        out.add(new Check("pretrained average in [30, 65]", pct(pre), pre >= 30 && pre <= 65));
        out.add(new Check("individual average >= 85", pct(ind), ind >= 85));
        String worst = null;
        double worstGain = Double.POSITIVE_INFINITY;
        String dropped = null;
        double worstDrop = Double.POSITIVE_INFINITY;
        for (String t : tasks) {
            double gain = 100 * (individual.get(t) - pretrained.get(t));
            if (gain < worstGain) {
                worstGain = gain;
                worst = t;
            }
            double keep = 100 * (taskArithmetic.get(t) - pretrained.get(t));
            if (keep < worstDrop) {
                worstDrop = keep;
                dropped = t;
            }
        }
        out.add(new Check("every task's individual >= its pretrained + 10", String.format("smallest gain %.1f (%s)", worstGain, worst), worstGain >= 10));
        double wa = gapFraction(average);
        double ta = gapFraction(taskArithmetic);
        out.add(new Check("weight averaging recovers >= 0.25 of the gap", String.format("%.2f", wa), wa >= 0.25));
        out.add(new Check("task arithmetic recovers >= 0.35 of the gap", String.format("%.2f", ta), ta >= 0.35));
        double lead = 100 * (mean(taskArithmetic) - mean(average));
        out.add(new Check("task arithmetic >= weight averaging + 1", String.format("%+.1f points", lead), lead >= 1));
        out.add(new Check("task arithmetic's best λ (on val) >= 0.2", String.valueOf(taLambda), taLambda >= 0.2 - 1e-9));
        out.add(new Check("task arithmetic keeps every task within 2 points of pretrained or above",
                String.format("worst %+.1f (%s)", worstDrop, dropped), worstDrop >= -2));
        out.add(new Check("task vectors' mean |cosine| <= 0.10", String.format("%.3f", meanAbsCosine()), meanAbsCosine() <= 0.10));
        out.add(new Check("task vectors' largest |cosine| <= 0.25", String.format("%.3f", maxAbsCosine()), maxAbsCosine() <= 0.25));
        return out;
    }

    private static String pct(double v) {
        return String.format("%.1f", v);
    }

    /** The card as plain data (percentages rounded to 0.1), for zoo.yaml. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split);
        m.put("pretrained_avg", r1(100 * mean(pretrained)));
        m.put("individual_avg", r1(100 * mean(individual)));
        m.put("weight_average_avg", r1(100 * mean(average)));
        m.put("weight_average_gap_fraction", r2(gapFraction(average)));
        m.put("task_arithmetic_lambda_on_val", taLambda);
        m.put("task_arithmetic_avg", r1(100 * mean(taskArithmetic)));
        m.put("task_arithmetic_gap_fraction", r2(gapFraction(taskArithmetic)));
        m.put("cosine_mean_abs", r3(meanAbsCosine()));
        m.put("cosine_max_abs", r3(maxAbsCosine()));
        Map<String, Object> perTask = new LinkedHashMap<>();
        for (String t : tasks) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pretrained", r1(100 * pretrained.get(t)));
            row.put("individual", r1(100 * individual.get(t)));
            row.put("weight_average", r1(100 * average.get(t)));
            row.put("task_arithmetic", r1(100 * taskArithmetic.get(t)));
            row.put("tau_norm_ratio", r3(tauRatio.get(t)));
            perTask.put(t, row);
        }
        m.put("tasks", perTask);
        return m;
    }

    static double r1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double r3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}

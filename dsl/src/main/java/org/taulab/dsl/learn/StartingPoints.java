package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.merge.CartMerge;
import org.taulab.dsl.merge.GridSearch;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.merge.TiesMerge;
import org.taulab.dsl.tensor.Weights;

/**
 * The θ_0 a learned merge starts from, by method name: training-free merges with λ searched on val (mean
 * accuracy over the eval subsets), or aTLAS; and the starting points of task negation and test-time adaptation.
 */
public final class StartingPoints {
    public static final List<String> METHODS = List.of("task-arithmetic", "ties", "cart", "atlas");
    private static final List<Double> LAMBDAS = List.of(0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0);
    private static final List<Double> QUICK_LAMBDAS = List.of(0.05, 0.3);

    private StartingPoints() {
    }

    /** The weights of {@code method} on every task of the setup. */
    public static Weights of(String method, LearnSetup setup) {
        List<String> names = setup.taskNames();
        MergeInputs in = new MergeInputs(setup.pretrained(), setup.finetuned(names), names);
        return switch (method) {
            case "task-arithmetic" -> searched(new TaskArithmeticMerge(), in, setup, names);
            case "ties" -> searched(new TiesMerge(), in, setup, names);
            case "cart" -> searched(new CartMerge(), in, setup, names);
            case "atlas" -> new Atlas().run(setup).weights();
            default -> throw new TauLabException("unknown starting method '" + method + "' (" + String.join(", ", METHODS) + ")");
        };
    }

    private static Weights searched(Merge merge, MergeInputs in, LearnSetup setup, List<String> names) {
        ToDoubleFunction<Weights> score = w -> CoefficientTrainer.mean(setup.valAccuracy(w, names));
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("lambda", lambdas(setup));
        GridSearch.Result r = GridSearch.run(merge, grid, in, score, setup.progress());
        return r.bestMerge().weights().named(merge.method() + " λ=" + r.best().get("lambda"));
    }

    /**
     * Task-arithmetic negation {@code θ_pre − λ τ_target}: the λ of the grid with the lowest target val accuracy
     * whose control accuracy meets the selection's floor (the smallest λ when none does).
     */
    static Weights negation(LearnSetup setup, String target, Selection selection) {
        Weights pre = setup.pretrained();
        Weights ft = setup.finetuned(target);
        Weights best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double lambda : lambdas(setup)) {
            Weights w = pre.minus(ft.minus(pre).times(lambda)).named("negation λ=" + lambda);
            Map<String, Double> val = setup.valAccuracy(w, setup.taskNames());
            if (best == null || selection.admissible(val) && selection.score(val) > bestScore) {
                best = w;
                bestScore = selection.admissible(val) ? selection.score(val) : Double.NEGATIVE_INFINITY;
            }
        }
        return best;
    }

    /**
     * Task arithmetic of every task but {@code target}, λ searched on the other tasks' val (test-time adaptation's
     * start: nothing of the target is used).
     */
    public static Weights taskArithmeticWithout(LearnSetup setup, String target) {
        List<String> names = new ArrayList<>(setup.taskNames());
        names.remove(target);
        MergeInputs in = new MergeInputs(setup.pretrained(), setup.finetuned(names), names);
        return searched(new TaskArithmeticMerge(), in, setup, names).named("TA without " + target);
    }

    private static List<Double> lambdas(LearnSetup setup) {
        return setup.quick() ? QUICK_LAMBDAS : LAMBDAS;
    }
}

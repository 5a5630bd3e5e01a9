package org.taulab.repro.dvbasi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.learn.Atlas;
import org.taulab.dsl.learn.DvBasi;
import org.taulab.dsl.learn.LearnResult;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.eval.Evaluation;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.repro.ReproContext;
import org.taulab.repro.cart.LearnedRows;

/**
 * The runs behind notebooks/02-dvbasi.ipynb, each computed once per context and shared by the tables and
 * figures that show it. Coefficients are learned on val (selection on val too); every accuracy shown is on test.
 * Outer iterations and sweeps are smaller than the paper's where a run would otherwise take too long on two
 * cores; the numbers are stated in each report.
 */
final class DvBasiStudy {
    private final ReproContext ctx;
    private final Map<Weights, Evaluation> tested = new java.util.IdentityHashMap<>();

    private DvBasiStudy(ReproContext ctx) {
        this.ctx = ctx;
    }

    static DvBasiStudy of(ReproContext ctx) {
        return ctx.memo("dvbasi.study", () -> new DvBasiStudy(ctx));
    }

    ReproContext ctx() {
        return ctx;
    }

    LearnSetup setup() {
        return LearnedRows.setup(ctx);
    }

    ZooEvaluator bench() {
        return ctx.bench();
    }

    /** Iterations of the ablation, α sweep and MOO runs (the Figure 2 run uses the paper's 4). */
    int shortIterations() {
        return ctx.pick(1, 2);
    }

    /** aTLAS, supervised or unsupervised: θ_0 of the ablation and of task addition. */
    LearnResult atlas(boolean unsupervised) {
        return ctx.memo("dvbasi.atlas." + unsupervised, () -> new Atlas().with("unsupervised", unsupervised).run(setup()));
    }

    /** Table 1: DV-BASI from unsupervised aTLAS with the given scaling, unsupervised. */
    LearnResult ablation(String scaling) {
        return ctx.memo("dvbasi.ablation." + scaling, () -> new DvBasi().with("scaling", scaling).with("unsupervised", true)
                .with("iterations", shortIterations()).run(setup(), atlas(true).weights()));
    }

    /** Figure 2a/b and Table 3's supervised row: 4 iterations from supervised aTLAS. */
    LearnResult supervised() {
        return ctx.memo("dvbasi.supervised", () -> new DvBasi().with("iterations", ctx.pick(2, 4)).run(setup(), atlas(false).weights()));
    }

    /** Table 3: the MOO variant, supervised or unsupervised, from the matching aTLAS. */
    LearnResult moo(boolean unsupervised) {
        return ctx.memo("dvbasi.moo." + unsupervised, () -> new DvBasi().with("moo", true).with("unsupervised", unsupervised)
                .with("iterations", shortIterations()).run(setup(), atlas(unsupervised).weights()));
    }

    List<Double> alphas() {
        return ctx.pick(List.of(0.1, 1.0), List.of(0.1, 0.4, 0.7, 1.0));
    }

    /** Figure 2c: one iteration of unsupervised DV-BASI from unsupervised aTLAS at each initial α. */
    Map<Double, LearnResult> alphaSweep() {
        return ctx.memo("dvbasi.alpha", () -> {
            Map<Double, LearnResult> out = new LinkedHashMap<>();
            for (double a : alphas()) {
                out.put(a, new DvBasi().with("alpha", a).with("unsupervised", true).with("iterations", 1).run(setup(), atlas(true).weights()));
            }
            return out;
        });
    }

    /** The targets of negation, adaptation and enhancement (two in quick mode). */
    List<String> targets() {
        List<String> all = bench().tasks();
        return ctx.quick() ? all.subList(0, 2) : all;
    }

    /** Table 2: per target, task-arithmetic negation (λ on val under the control floor) then DV-BASI, supervised. */
    Map<String, LearnResult> negation() {
        return ctx.memo("dvbasi.negation", () -> {
            Map<String, LearnResult> out = new LinkedHashMap<>();
            for (String t : targets()) {
                out.put(t, new DvBasi().with("iterations", 1).negate(setup(), t, null));
            }
            return out;
        });
    }

    /** Table 4: per target, task arithmetic of the other tasks, then unsupervised DV-BASI on the target's inputs. */
    Map<String, LearnResult> adaptation() {
        return ctx.memo("dvbasi.tta", () -> {
            Map<String, LearnResult> out = new LinkedHashMap<>();
            for (String t : targets()) {
                out.put(t, new DvBasi().with("iterations", 2).with("epochs", ctx.pick(2, 3)).adapt(setup(), t, null));
            }
            return out;
        });
    }

    /** Table 5: per task, DV-BASI from its fine-tuned model, supervised on that task. */
    Map<String, LearnResult> enhancement() {
        return ctx.memo("dvbasi.enhance", () -> {
            Map<String, LearnResult> out = new LinkedHashMap<>();
            for (String t : targets()) {
                out.put(t, new DvBasi().with("iterations", ctx.pick(1, 2)).with("patience", 3).enhance(setup(), t));
            }
            return out;
        });
    }

    /** Test accuracy of {@code w} on {@code tasks} (the bench frees the weights' tensors afterwards; they stay usable). */
    Map<String, Double> test(Weights w, List<String> tasks) {
        return bench().evaluate(w, tasks, "test").accuracy();
    }

    /**
     * Every task's test accuracy of {@code w}, measured once per weights value: the same runs (aTLAS, the ablation's
     * anisotropic row, …) appear in several tables.
     */
    private synchronized Evaluation testOf(Weights w) {
        return tested.computeIfAbsent(w, k -> bench().evaluate(k, "test"));
    }

    double testAverage(Weights w) {
        return testOf(w).average();
    }

    double testNormalized(Weights w) {
        return testOf(w).normalized();
    }
}

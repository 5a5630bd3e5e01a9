package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.Weights;

/**
 * DV-BASI (the seed's Algorithm 1): M outer iterations, each learning a block-diagonal scaling Λ of the
 * difference vector {@code δ = θ_{m−1} − θ_pre} (recomputed from the current weights every iteration) with
 * {@code θ_m = θ_{m−1} + Λ* ⊙ δ}; Λ starts at α in every block, AdamW (lr 0.01, weight decay 0) runs up to 60
 * epochs with patience 5 on val, and the best θ_m (m ≥ 1) by val is returned with the full history.
 * Variants: isotropic (one scalar), random perturbation (δ replaced by ‖δ‖·R), MGDA's min-norm step over the
 * per-task gradients, task negation, single-task enhancement and test-time adaptation.
 */
public record DvBasi(LearnOptions options) {
    public static final LearnMethod ADDITION = new LearnMethod("dvbasi",
            "DV-BASI task addition from theta0 (any merge's weights)", LearnMethod.Start.THETA0,
            new DvBasi().options(), (setup, o, theta0, task) -> new DvBasi(o).run(setup, theta0));
    public static final LearnMethod NEGATION = new LearnMethod("dvbasi-negate",
            "DV-BASI task negation of target (control: the other tasks, kept at 95 % of pretrained or more)", LearnMethod.Start.TARGET,
            new DvBasi().options(), (setup, o, theta0, task) -> new DvBasi(o).negate(setup, task, theta0));
    public static final LearnMethod ENHANCEMENT = new LearnMethod("dvbasi-enhance",
            "DV-BASI single-task enhancement of a fine-tuned model", LearnMethod.Start.TASK,
            new DvBasi().options(), (setup, o, theta0, task) -> new DvBasi(o).enhance(setup, task));
    public static final LearnMethod ADAPTATION = new LearnMethod("dvbasi-adapt",
            "DV-BASI test-time adaptation to target from the other tasks' vectors (entropy, no target labels)", LearnMethod.Start.TARGET,
            new DvBasi().options(), (setup, o, theta0, task) -> new DvBasi(o).adapt(setup, task, theta0));

    public DvBasi() {
        this(new LearnOptions("dvbasi", defaults()));
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("iterations", 4);
        d.put("alpha", 0.1);
        d.put("lr", 0.01);
        d.put("weight_decay", 0.0);
        d.put("epochs", 60);
        d.put("patience", 5);
        d.put("scaling", "anisotropic");
        d.put("moo", false);
        d.put("unsupervised", false);
        d.put("batch", 16);
        d.put("seed", 0L);
        return d;
    }

    public String method() {
        return "dvbasi";
    }

    public DvBasi with(String name, Object value) {
        return new DvBasi(options.with(name, value));
    }

    /** Task addition: every task of the zoo, starting from {@code theta0} (any merge's weights). */
    public LearnResult run(LearnSetup setup, Weights theta0) {
        List<LearnTask> tasks = setup.tasks(setup.taskNames(), options.flag("unsupervised"));
        return iterate(setup, theta0, tasks, Selection.normalized(setup.individualVal()), true, method());
    }

    /**
     * Task negation (paper Eq. 7): loss {@code −L(target) + L(control)} with every other task as control; keeps the
     * Λ with the lowest target val accuracy among those whose mean control accuracy stays ≥ 95 % of the pretrained
     * model's. {@code theta0} null starts from task-arithmetic negation with λ chosen the same way on val.
     */
    public LearnResult negate(LearnSetup setup, String target, Weights theta0) {
        List<String> names = new ArrayList<>(List.of(target));
        setup.taskNames().stream().filter(t -> !t.equals(target)).forEach(names::add);
        List<LearnTask> tasks = new ArrayList<>(setup.tasks(names, options.flag("unsupervised")));
        tasks.set(0, tasks.get(0).negated());
        double floor = 0.95 * Selection.controlAccuracy(setup.pretrainedVal(), target);
        Selection selection = Selection.negation(target, floor);
        Weights start = theta0 != null ? theta0 : StartingPoints.negation(setup, target, selection);
        return iterate(setup, start, tasks, selection, true, method() + "-negation(" + target + ")");
    }

    /** Single-task enhancement (paper Table 5): θ_0 = the task's fine-tuned model, supervised on that task alone. */
    public LearnResult enhance(LearnSetup setup, String task) {
        List<LearnTask> tasks = setup.tasks(List.of(task), false);
        return iterate(setup, setup.finetuned(task), tasks, Selection.normalized(setup.individualVal()), true, method() + "-enhance(" + task + ")");
    }

    /**
     * Test-time adaptation (paper Table 4): start from {@code theta0} built from the other tasks' vectors only
     * (null: their task arithmetic, λ chosen on the other tasks' val) and minimize the entropy on the target's
     * unlabeled inputs.
     * No label of the target is used: every iteration keeps its last epoch and the last iteration is returned.
     */
    public LearnResult adapt(LearnSetup setup, String target, Weights theta0) {
        Weights start = theta0 != null ? theta0 : StartingPoints.taskArithmeticWithout(setup, target);
        List<LearnTask> tasks = setup.tasks(List.of(target), true);
        return iterate(setup, start, tasks, Selection.normalized(setup.individualVal()), false, method() + "-adapt(" + target + ")");
    }

    private LearnResult iterate(LearnSetup setup, Weights theta0, List<LearnTask> tasks, Selection selection, boolean useLabels, String label) {
        String scaling = options.choice("scaling", "anisotropic", "isotropic", "random");
        int iterations = setup.quick() ? Math.min(options.integer("iterations"), 2) : options.integer("iterations");
        int epochs = setup.quick() ? Math.min(options.integer("epochs"), 3) : options.integer("epochs");
        if (iterations < 1) {
            throw new TauLabException("dvbasi: iterations must be at least 1");
        }
        TrainConfig config = new TrainConfig(options.number("lr"), options.number("weight_decay"), epochs,
                useLabels ? options.integer("patience") : 0, options.integer("batch"), options.seed("seed"), options.flag("moo"), 0, useLabels);
        long start = System.nanoTime();
        History history = new History(LearnRun.names(tasks));
        CoefficientTrainer trainer = new CoefficientTrainer(setup.vit(), tasks, setup.individualVal(), setup.progress());
        Map<String, Double> initial = trainer.evaluate(theta0::get);
        history.start(CoefficientTrainer.mean(initial), trainer.normalized(initial));
        Weights current = theta0;
        Weights best = theta0;
        List<Weights> iterates = new ArrayList<>(List.of(theta0));
        Map<String, Double> bestVal = initial;
        double bestScore = Double.NEGATIVE_INFINITY; // θ_0 is returned only when no iteration has an admissible epoch
        Map<String, String> metadata = LearnResult.metadata(method(), options.asMap());
        for (int m = 1; m <= iterations; m++) {
            StateDict delta = current.minus(setup.pretrained());
            if (scaling.equals("random")) {
                delta = RandomDirection.like(delta, options.seed("seed") * 31 + m);
            }
            try (CoefficientModel model = new CoefficientModel(current, List.of(delta), !scaling.equals("isotropic"), options.number("alpha"))) {
                CoefficientTrainer.Outcome kept = trainer.train(model, config.withSeed(options.seed("seed") + m), selection, m, history,
                        label + " iteration " + m + "/" + iterations, start);
                if (kept == null) {
                    iterates.add(current); // no admissible epoch: θ_m = θ_{m−1}
                    continue;
                }
                current = model.materialize(label + " θ" + m, metadata);
                iterates.add(current);
                if (!useLabels || kept.score() > bestScore) {
                    best = current;
                    bestScore = kept.score();
                    bestVal = kept.val();
                }
            }
        }
        return new LearnResult(label, options.asMap(), best.named(label), history, initial, bestVal, iterates);
    }
}

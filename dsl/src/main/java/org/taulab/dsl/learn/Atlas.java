package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * aTLAS (Zhang et al. 2024): {@code θ = θ_pre + Σ_t Λ_t ⊙ τ_t} with one coefficient per tensor per task
 * (anisotropic, block-diagonal), init 0, AdamW lr 1e-3 and weight decay 0.1, 20 epochs over val, keeping the
 * epoch with the best val normalized accuracy. Supervised by default; entropy with {@code unsupervised}.
 */
public record Atlas(LearnOptions options) {
    public static final LearnMethod METHOD = new LearnMethod("atlas",
            "aTLAS: anisotropic coefficients per tensor per task, best val epoch kept", LearnMethod.Start.NONE,
            new Atlas().options(), (setup, o, theta0, task) -> new Atlas(o).run(setup));

    public Atlas() {
        this(new LearnOptions("atlas", defaults()));
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("init", 0.0);
        d.put("lr", 1e-3);
        d.put("weight_decay", 0.1);
        d.put("epochs", 20);
        d.put("patience", 0);
        d.put("unsupervised", false);
        d.put("batch", 16);
        d.put("seed", 0L);
        return d;
    }

    public String method() {
        return "atlas";
    }

    public Atlas with(String name, Object value) {
        return new Atlas(options.with(name, value));
    }

    public LearnResult run(LearnSetup setup) {
        List<String> names = setup.taskNames();
        int epochs = setup.quick() ? Math.min(options.integer("epochs"), 3) : options.integer("epochs");
        TrainConfig config = new TrainConfig(options.number("lr"), options.number("weight_decay"), epochs, options.integer("patience"),
                options.integer("batch"), options.seed("seed"), false, 0, true);
        Weights pre = setup.pretrained();
        List<TaskVector> directions = new ArrayList<>();
        for (Weights ft : setup.finetuned(names)) {
            directions.add(ft.minus(pre));
        }
        List<LearnTask> tasks = setup.tasks(names, options.flag("unsupervised"));
        return LearnRun.single(method(), options, setup, pre, directions, true, options.number("init"), config, tasks,
                Selection.normalized(setup.individualVal()));
    }
}

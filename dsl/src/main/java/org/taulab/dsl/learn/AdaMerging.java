package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * AdaMerging (Yang et al. 2024): {@code θ = θ_pre + Σ_t λ_{t,p} τ_t^{(p)}}, one coefficient per task per tensor
 * (layer-wise) or per task (task-wise), init 0.3, Adam lr 1e-3, 500 steps of the entropy loss on unlabeled
 * inputs of every task; the last step is kept (the method uses no labels). The CART variant learns the same
 * coefficients on the centered low-rank vectors: {@code θ = θ_avg + Σ_t λ_{t,p} SVD_k(θ_t − θ_avg)^{(p)}}, starting
 * from CART's λ = 1.
 */
public record AdaMerging(boolean centered, LearnOptions options) {
    public static final LearnMethod METHOD = new LearnMethod("adamerging",
            "AdaMerging: per task and tensor coefficients of task arithmetic, entropy on unlabeled val inputs", LearnMethod.Start.NONE,
            taskArithmetic().options(), (setup, o, theta0, task) -> new AdaMerging(false, o).run(setup));
    public static final LearnMethod CART = new LearnMethod("adamerging-cart",
            "AdaMerging on CART's centered low-rank vectors", LearnMethod.Start.NONE,
            cart().options(), (setup, o, theta0, task) -> new AdaMerging(true, o).run(setup));

    public static AdaMerging taskArithmetic() {
        return new AdaMerging(false, new LearnOptions("adamerging", defaults(0.3, false)));
    }

    public static AdaMerging cart() {
        return new AdaMerging(true, new LearnOptions("adamerging-cart", defaults(1.0, true)));
    }

    private static Map<String, Object> defaults(double init, boolean cart) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("granularity", "layer");
        d.put("init", init);
        d.put("lr", 1e-3);
        d.put("steps", 500);
        d.put("unsupervised", true);
        d.put("batch", 16);
        d.put("seed", 0L);
        if (cart) {
            d.put("rank", 0.08);
        }
        return d;
    }

    public String method() {
        return centered ? "adamerging-cart" : "adamerging";
    }

    public AdaMerging with(String name, Object value) {
        return new AdaMerging(centered, options.with(name, value));
    }

    public LearnResult run(LearnSetup setup) {
        boolean layerWise = options.choice("granularity", "layer", "task").equals("layer");
        int steps = setup.quick() ? Math.min(options.integer("steps"), 40) : options.integer("steps");
        TrainConfig config = new TrainConfig(options.number("lr"), 0, 1, 0, options.integer("batch"), options.seed("seed"), false, steps, false);
        List<String> names = setup.taskNames();
        List<Weights> fts = setup.finetuned(names);
        Weights base;
        List<TaskVector> directions = new ArrayList<>();
        if (centered) {
            MergeInputs in = new MergeInputs(null, fts, names);
            base = in.average();
            Rank rank = Rank.parse(options.number("rank"));
            for (TaskVector nu : in.centered()) {
                directions.add(lowRankOnly(nu, rank, Selector.defaultMatrices()));
            }
        } else {
            base = setup.pretrained();
            for (Weights ft : fts) {
                directions.add(ft.minus(base));
            }
        }
        List<LearnTask> tasks = setup.tasks(names, options.flag("unsupervised"));
        return LearnRun.single(method(), options, setup, base, directions, layerWise, options.number("init"), config, tasks,
                Selection.normalized(setup.individualVal()));
    }

    /** The rank-k truncation of {@code v} at the selected matrices, and nothing elsewhere (CART leaves the rest at the average). */
    static TaskVector lowRankOnly(TaskVector v, Rank rank, Selector selector) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        v.entries().forEach((k, e) -> {
            if (selector.test(e)) {
                entries.put(k, e.withSource(m -> {
                    int r = rank.k((int) e.shape()[0], (int) e.shape()[1]);
                    return m.create(v.svd(k, r, org.taulab.dsl.linalg.SvdChoice.AUTO).truncate(r), new ai.djl.ndarray.types.Shape(e.shape()));
                }));
            }
        });
        return new TaskVector(entries, v.metadata(), "svdK(" + v.label() + ", " + rank + ")");
    }
}

package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.taulab.Learning;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.learn.AdaMerging;
import org.taulab.dsl.learn.Atlas;
import org.taulab.dsl.learn.DvBasi;
import org.taulab.dsl.learn.LearnOptions;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.zoo.Zoo;

/**
 * The learned merges as {@code %%tau} functions: {@code adamerging(zoo?, steps=…)}, {@code adamergingCart(…)},
 * {@code atlas(…)}, {@code dvbasi(theta0, iterations=4, …)}, {@code dvbasiNegate(target, …)},
 * {@code dvbasiEnhance(task, …)}, {@code dvbasiAdapt(target, …)}. Every method parameter can be named.
 */
final class LearnFunctions {
    private LearnFunctions() {
    }

    static void registerAll() {
        TauFunctions.register(TauFunction.of("startingPoint",
                "θ_0 for a learned merge: task-arithmetic, ties or cart (λ searched on val) or atlas, on the zoo (default " + org.taulab.dsl.zoo.Zoo.DEFAULT + ").",
                a -> org.taulab.dsl.learn.StartingPoints.of(a.text("method"), setup(a)), "method", "zoo?"));
        register("adamerging", "AdaMerging (entropy on unlabeled val inputs, layer-wise coefficients)", AdaMerging.taskArithmetic().options(),
                List.of("zoo?"), (a, o) -> new AdaMerging(false, o).run(setup(a)));
        register("adamergingCart", "AdaMerging on CART's centered low-rank vectors", AdaMerging.cart().options(),
                List.of("zoo?"), (a, o) -> new AdaMerging(true, o).run(setup(a)));
        register("atlas", "aTLAS: anisotropic coefficients per tensor per task, best val epoch kept", new Atlas().options(),
                List.of("zoo?"), (a, o) -> new Atlas(o).run(setup(a)));
        register("dvbasi", "DV-BASI task addition from theta0 (any merge's weights)", new DvBasi().options(),
                List.of("theta0", "zoo?"), (a, o) -> new DvBasi(o).run(setup(a), a.weights("theta0")));
        register("dvbasiNegate", "DV-BASI task negation of target (control: the other tasks, kept ≥ 95% of pretrained)", new DvBasi().options(),
                List.of("target", "theta0?", "zoo?"), (a, o) -> new DvBasi(o).negate(setup(a), a.text("target"), a.has("theta0") ? a.weights("theta0") : null));
        register("dvbasiEnhance", "DV-BASI single-task enhancement of a fine-tuned model", new DvBasi().options(),
                List.of("task", "zoo?"), (a, o) -> new DvBasi(o).enhance(setup(a), a.text("task")));
        register("dvbasiAdapt", "DV-BASI test-time adaptation to target from the other tasks' vectors (entropy, no target labels)",
                new DvBasi().options(), List.of("target", "theta0?", "zoo?"),
                (a, o) -> new DvBasi(o).adapt(setup(a), a.text("target"), a.has("theta0") ? a.weights("theta0") : null));
    }

    private static void register(String name, String doc, LearnOptions defaults, List<String> leading, BiFunction<Args, LearnOptions, Object> run) {
        List<String> params = new ArrayList<>(leading);
        defaults.asMap().keySet().forEach(p -> params.add(p + "?"));
        TauFunctions.register(new TauFunction(name, params, doc + "; parameters and defaults: " + defaults + ".", a -> {
            LearnOptions o = defaults;
            for (Map.Entry<String, Object> e : a.all().entrySet()) {
                if (defaults.asMap().containsKey(e.getKey())) {
                    o = o.with(e.getKey(), e.getValue());
                }
            }
            return run.apply(a, o);
        }));
    }

    private static LearnSetup setup(Args a) {
        if (!a.has("zoo")) {
            return Learning.learnSetup();
        }
        Object z = a.get("zoo");
        if (z instanceof Zoo zoo) {
            return Learning.learnSetup(zoo);
        }
        if (z instanceof String name) {
            return Learning.learnSetup(Zoo.open(name));
        }
        throw new TauLabException("zoo must be a zoo or its name, not " + z);
    }
}

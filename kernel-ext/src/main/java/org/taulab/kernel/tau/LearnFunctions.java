package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taulab.Learning;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.learn.LearnCatalogue;
import org.taulab.dsl.learn.LearnMethod;
import org.taulab.dsl.learn.LearnOptions;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * The learned merges of the library's catalogue as {@code %%tau} functions: {@code adamerging(zoo?, steps=…)},
 * {@code adamergingCart(…)}, {@code atlas(…)}, {@code dvbasi(theta0, iterations=4, …)}, {@code dvbasiNegate(target, …)},
 * {@code dvbasiEnhance(task, …)}, {@code dvbasiAdapt(target, …)}. Every method parameter can be named.
 */
final class LearnFunctions {
    private LearnFunctions() {
    }

    static void registerAll() {
        TauFunctions.register(TauFunction.of("startingPoint",
                "θ_0 for a learned merge: task-arithmetic, ties or cart (λ searched on val) or atlas, on the zoo (default " + org.taulab.dsl.zoo.Zoo.DEFAULT + ").",
                a -> org.taulab.dsl.learn.StartingPoints.of(a.text("method"), setup(a)), "method", "zoo?"));
        LearnCatalogue.all().forEach(LearnFunctions::register);
    }

    /** A learned merge of the catalogue under its Java name; its leading arguments follow what it starts from. */
    private static void register(LearnMethod method) {
        List<String> params = new ArrayList<>(switch (method.start()) {
            case NONE -> List.of("zoo?");
            case THETA0 -> List.of("theta0", "zoo?");
            case TARGET -> List.of("target", "theta0?", "zoo?");
            case TASK -> List.of("task", "zoo?");
        });
        LearnOptions defaults = method.defaults();
        defaults.asMap().keySet().forEach(p -> params.add(p + "?"));
        TauFunctions.register(new TauFunction(method.javaName(), params, method.summary() + "; parameters and defaults: " + defaults + ".", a -> {
            LearnOptions o = defaults;
            for (Map.Entry<String, Object> e : a.all().entrySet()) {
                if (defaults.asMap().containsKey(e.getKey())) {
                    o = o.with(e.getKey(), e.getValue());
                }
            }
            Weights theta0 = a.has("theta0") ? a.weights("theta0") : null;
            String task = a.has("target") ? a.text("target") : a.has("task") ? a.text("task") : null;
            return method.run(setup(a), o, theta0, task);
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

package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/**
 * Task arithmetic: {@code θ = θ_pre + λ Σ τ_t}; with {@code negate}, {@code θ = θ_pre − λ Σ τ_t} (task
 * negation). Default λ = 0.3, the value the task-arithmetic literature uses without a search.
 */
public record TaskArithmeticMerge(double lambda, boolean negate) implements Merge {
    public static final double DEFAULT_LAMBDA = 0.3;

    public TaskArithmeticMerge() {
        this(DEFAULT_LAMBDA, false);
    }

    public TaskArithmeticMerge lambda(double l) {
        return new TaskArithmeticMerge(l, negate);
    }

    public TaskArithmeticMerge negation() {
        return new TaskArithmeticMerge(lambda, true);
    }

    @Override
    public String method() {
        return "task-arithmetic";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("negate", negate);
        return p;
    }

    @Override
    public Merge with(String parameter, Object value) {
        return switch (parameter) {
            case "lambda" -> new TaskArithmeticMerge(Params.number(method(), parameter, value), negate);
            case "negate" -> new TaskArithmeticMerge(lambda, Boolean.parseBoolean(String.valueOf(value)));
            default -> throw Params.unknown(method(), parameter, List.of("lambda", "negate"));
        };
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        float scale = (float) (negate ? -lambda : lambda);
        return in.build(method(), metadata(), (name, m) -> {
            NDArray base = pre.compute(name, m);
            NDArray sum = null;
            for (Weights ft : in.finetuned()) {
                NDArray tau = ft.compute(name, m).subi(base);
                sum = sum == null ? tau : sum.addi(tau);
            }
            return sum.muli(scale).addi(base);
        });
    }
}

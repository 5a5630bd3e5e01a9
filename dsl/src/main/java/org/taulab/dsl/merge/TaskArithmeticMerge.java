package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/**
 * Task arithmetic: {@code θ = θ_pre + λ Σ τ_t}; with {@code negate}, {@code θ = θ_pre − λ Σ τ_t} (task
 * negation). Default λ = 0.3, the value the task-arithmetic literature uses without a search.
 */
public record TaskArithmeticMerge(double lambda, boolean negate) implements Merge {
    public static final double DEFAULT_LAMBDA = 0.3;

    public static final MergeMethod METHOD = MergeMethod.named("task-arithmetic").needsBase().order(20)
            .summary("θ_pre + λ Σ τ_t (with negate: θ_pre − λ Σ τ_t, task negation)")
            .source("Ilharco et al. 2023, Editing models with task arithmetic")
            .param(ParamSpec.lambda(DEFAULT_LAMBDA))
            .param(ParamSpec.flag("negate", "subtract the task vectors instead (forget the tasks)"))
            .build(v -> new TaskArithmeticMerge(v.number("lambda"), v.flag("negate")));

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
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("negate", negate);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        float scale = (float) (negate ? -lambda : lambda);
        return LinearMergeFiles.withFastPath(in.build(method(), metadata(), (name, m) -> {
            NDArray base = pre.compute(name, m);
            NDArray sum = null;
            for (Weights ft : in.finetuned()) {
                NDArray tau = ft.compute(name, m).subi(base);
                sum = sum == null ? tau : sum.addi(tau);
            }
            return sum.muli(scale).addi(base);
        }), in, (double) scale);
    }
}

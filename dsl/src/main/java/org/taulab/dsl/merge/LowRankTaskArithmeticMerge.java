package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * Low-rank task arithmetic (CART's uncentered comparison): {@code θ = θ_pre + λ Σ_t SVD_k(τ_t)} at the
 * selected matrices, {@code θ_pre + λ Σ_t τ_t} elsewhere. Defaults: rank ratio 0.08, λ = 0.3.
 */
public record LowRankTaskArithmeticMerge(LowRankStep step) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("lowrank-ta").needsBase().alias("lowRankTa").order(60)
            .summary("θ_pre + λ Σ_t SVD_k(τ_t) at the selected matrices; elsewhere θ_pre + λ Σ τ_t")
            .source("the low-rank task-arithmetic baseline of the CART paper")
            .param(LowRankStep.RANK)
            .param(ParamSpec.lambda(TaskArithmeticMerge.DEFAULT_LAMBDA))
            .param(LowRankStep.SELECT)
            .param(SvdParam.SPEC)
            .build(v -> new LowRankTaskArithmeticMerge(LowRankStep.of(v)));

    public LowRankTaskArithmeticMerge() {
        this(((LowRankTaskArithmeticMerge) METHOD.create()).step());
    }

    public LowRankTaskArithmeticMerge rank(Object r) {
        return (LowRankTaskArithmeticMerge) with("rank", r);
    }

    public LowRankTaskArithmeticMerge lambda(double l) {
        return (LowRankTaskArithmeticMerge) with("lambda", l);
    }

    public LowRankTaskArithmeticMerge selector(Selector s) {
        return (LowRankTaskArithmeticMerge) with("select", s);
    }

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        return step.parameters();
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            if (step.selects(in, name)) {
                return step.sum(in, taus, name, m).addi(pre.compute(name, m));
            }
            // each τ_t in a scope of its own: its θ_t and θ_pre (a gigabyte each for a language model's embedding) go with it
            NDArray sum = null;
            for (TaskVector tau : taus) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = tau.compute(name, s);
                    if (sum == null) {
                        sum = x.duplicate();
                        sum.attach(m);
                    } else {
                        sum.addi(x);
                    }
                }
            }
            return sum.muli((float) step.lambda()).addi(pre.compute(name, m));
        });
    }
}

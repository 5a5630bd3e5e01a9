package org.taulab.dsl.merge;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/**
 * CART-Indexing as a merge: the model served for the one task named by {@code task},
 * {@code θ_avg + λ SVD_k(θ_t − θ_avg)} at the selected matrices and {@code θ_avg} elsewhere (see {@link CartIndex},
 * which also reports what the per-task factors cost to store). Needs the task id at inference. Defaults as CART's:
 * rank ratio 0.08, λ = 1.0.
 */
public record CartIndexingMerge(String task, LowRankStep step) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("cart-indexing").order(55)
            .summary("task t's model θ_avg + λ·SVD_k(θ_t − θ_avg) at the selected matrices, θ_avg elsewhere (needs the task id; no base needed)")
            .source("Choi et al. 2025, Revisiting weight averaging for model merging (CART-Indexing)")
            .param(TaskChoice.TASK)
            .param(LowRankStep.RANK)
            .param(ParamSpec.lambda(1.0))
            .param(LowRankStep.SELECT)
            .param(SvdParam.SPEC)
            .build(v -> new CartIndexingMerge(v.text("task"), LowRankStep.of(v)));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        TaskChoice.with(p, task);
        p.putAll(step.parameters());
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        int t = TaskChoice.index(method(), in, task);
        return new CartIndex(in, step.rank(), step.lambda(), step.selector(), step.svd()).weightsFor(t);
    }
}

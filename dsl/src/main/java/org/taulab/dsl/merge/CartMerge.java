package org.taulab.dsl.merge;

import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * CART (centered arithmetic with rank-reduced task vectors): {@code θ = θ_avg + λ Σ_t SVD_k(ν_t)} with
 * {@code ν_t = θ_t − θ_avg} at the selected matrices; every other tensor is {@code θ_avg} (the full
 * centered vectors sum to zero). Defaults: rank ratio 0.08, λ = 1.0 (the paper's).
 */
public record CartMerge(LowRankStep step) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("cart").order(50)
            .summary("θ_avg + λ Σ_t SVD_k(θ_t − θ_avg) at the selected matrices; elsewhere θ_avg (no base needed)")
            .source("Choi et al. 2025, Revisiting weight averaging for model merging (CART)")
            .param(LowRankStep.RANK)
            .param(ParamSpec.lambda(1.0))
            .param(LowRankStep.SELECT)
            .param(SvdParam.SPEC)
            .build(v -> new CartMerge(LowRankStep.of(v)));

    public CartMerge() {
        this(((CartMerge) METHOD.create()).step());
    }

    public CartMerge rank(Object r) {
        return (CartMerge) with("rank", r);
    }

    public CartMerge lambda(double l) {
        return (CartMerge) with("lambda", l);
    }

    public CartMerge selector(Selector s) {
        return (CartMerge) with("select", s);
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
        Weights avg = in.average();
        List<TaskVector> nu = in.centered();
        List<String> matrices = step.selected(in);
        return CartFiles.withFastPath(in.build(method(), metadata(), (name, m) -> {
            if (!step.selects(in, name)) {
                return avg.compute(name, m);
            }
            int at = matrices.indexOf(name);
            if (at >= 0 && at + 1 < matrices.size()) {
                in.averageAhead(matrices.get(at + 1));
            }
            return step.sum(in, nu, name, m).addi(avg.compute(name, m));
        }), in, step);
    }
}

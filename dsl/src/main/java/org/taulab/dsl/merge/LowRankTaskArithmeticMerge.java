package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
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
public record LowRankTaskArithmeticMerge(Rank rank, double lambda, Selector selector) implements Merge {
    public LowRankTaskArithmeticMerge() {
        this(Rank.ratio(0.08), TaskArithmeticMerge.DEFAULT_LAMBDA, Selector.defaultMatrices());
    }

    public LowRankTaskArithmeticMerge rank(Object r) {
        return new LowRankTaskArithmeticMerge(Rank.parse(r), lambda, selector);
    }

    public LowRankTaskArithmeticMerge lambda(double l) {
        return new LowRankTaskArithmeticMerge(rank, l, selector);
    }

    public LowRankTaskArithmeticMerge selector(Selector s) {
        return new LowRankTaskArithmeticMerge(rank, lambda, s);
    }

    @Override
    public String method() {
        return "lowrank-ta";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", rank.isRatio() ? rank.ratio() : rank.absolute());
        p.put("lambda", lambda);
        p.put("select", selector.toString());
        return p;
    }

    @Override
    public Merge with(String parameter, Object value) {
        return switch (parameter) {
            case "rank", "rank_ratio" -> rank(value);
            case "lambda" -> lambda(Params.number(method(), parameter, value));
            case "select" -> selector(Params.selector(method(), value));
            default -> throw Params.unknown(method(), parameter, List.of("rank", "lambda", "select"));
        };
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            if (selector.test(in.layout().entry(name))) {
                NDArray low = LowRankSum.of(in, taus, name, rank, lambda, m);
                in.doneWith(taus, name);
                return low.addi(pre.compute(name, m));
            }
            NDArray sum = taus.get(0).compute(name, m);
            for (int t = 1; t < taus.size(); t++) {
                sum.addi(taus.get(t).compute(name, m));
            }
            return sum.muli((float) lambda).addi(pre.compute(name, m));
        });
    }
}

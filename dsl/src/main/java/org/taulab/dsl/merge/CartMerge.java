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
 * CART (centered arithmetic with rank-reduced task vectors): {@code θ = θ_avg + λ Σ_t SVD_k(ν_t)} with
 * {@code ν_t = θ_t − θ_avg} at the selected matrices; every other tensor is {@code θ_avg} (the full
 * centered vectors sum to zero). Defaults: rank ratio 0.08, λ = 1.0 (the paper's).
 */
public record CartMerge(Rank rank, double lambda, Selector selector) implements Merge {
    public CartMerge() {
        this(Rank.ratio(0.08), 1.0, Selector.defaultMatrices());
    }

    public CartMerge rank(Object r) {
        return new CartMerge(Rank.parse(r), lambda, selector);
    }

    public CartMerge lambda(double l) {
        return new CartMerge(rank, l, selector);
    }

    public CartMerge selector(Selector s) {
        return new CartMerge(rank, lambda, s);
    }

    @Override
    public String method() {
        return "cart";
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
        Weights avg = in.average();
        List<TaskVector> nu = in.centered();
        return in.build(method(), metadata(), (name, m) -> {
            if (!selector.test(in.layout().entry(name))) {
                return avg.compute(name, m);
            }
            NDArray low = LowRankSum.of(in, nu, name, rank, lambda, m);
            in.doneWith(nu, name);
            return low.addi(avg.compute(name, m));
        });
    }
}

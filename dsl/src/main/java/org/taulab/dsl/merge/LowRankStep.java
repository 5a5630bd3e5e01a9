package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;

/**
 * The parameters shared by the merges that add {@code λ Σ_t SVD_k(v_t)} at selected matrices (CART and
 * low-rank task arithmetic): the rank, λ, the selector and how the decomposition is computed.
 */
public record LowRankStep(Rank rank, double lambda, Selector selector, SvdChoice svd) {
    static final ParamSpec RANK = ParamSpec.rank("rank", 0.08,
            "rank of the low-rank step: a ratio r of min(m, n), k = max(1, floor(r·min(m, n))), or an absolute k").alias("rank_ratio");
    static final ParamSpec SELECT = ParamSpec.selector("select", "which 2-D tensors get the low-rank step");

    static LowRankStep of(ParamValues v) {
        return new LowRankStep(v.rank("rank"), v.number("lambda"), v.selector("select"), SvdParam.of(v));
    }

    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", rank.isRatio() ? rank.ratio() : rank.absolute());
        p.put("lambda", lambda);
        p.put("select", selector);
        p.put("svd", svd.spelling());
        return p;
    }

    boolean selects(MergeInputs in, String name) {
        return selector.test(in.layout().entry(name));
    }

    /** The names of the tensors that get the step, in the model's order. */
    List<String> selected(MergeInputs in) {
        return in.layout().entries().values().stream().filter(e -> e.isFloat() && selector.test(e)).map(e -> e.name()).toList();
    }

    /** {@code λ Σ_t SVD_k(v_t)} at matrix {@code name}, as a fresh array in {@code m}. */
    NDArray sum(MergeInputs in, List<TaskVector> vectors, String name, NDManager m) {
        NDArray low = LowRankSum.of(in, vectors, name, rank, lambda, svd, m);
        in.doneWith(vectors, name);
        return low;
    }
}

package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;

/**
 * The parameters shared by the merges that add {@code λ Σ_t SVD_k(v_t)} at selected matrices (CART and
 * low-rank task arithmetic): the rank, λ and the selector, with their names for searches.
 */
public record LowRankStep(Rank rank, double lambda, Selector selector) {
    static final List<String> NAMES = List.of("rank", "lambda", "select");

    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", rank.isRatio() ? rank.ratio() : rank.absolute());
        p.put("lambda", lambda);
        p.put("select", selector.toString());
        return p;
    }

    public LowRankStep with(String method, String parameter, Object value) {
        return switch (parameter) {
            case "rank", "rank_ratio" -> new LowRankStep(Rank.parse(value), lambda, selector);
            case "lambda" -> new LowRankStep(rank, Params.number(method, parameter, value), selector);
            case "select" -> new LowRankStep(rank, lambda, Params.selector(method, value));
            default -> throw Params.unknown(method, parameter, NAMES);
        };
    }

    boolean selects(MergeInputs in, String name) {
        return selector.test(in.layout().entry(name));
    }

    /** {@code λ Σ_t SVD_k(v_t)} at matrix {@code name}, as a fresh array in {@code m}. */
    NDArray sum(MergeInputs in, List<TaskVector> vectors, String name, NDManager m) {
        NDArray low = LowRankSum.of(in, vectors, name, rank, lambda, m);
        in.doneWith(vectors, name);
        return low;
    }
}

package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.TaskVector;

/** {@code λ Σ_t SVD_k(v_t)} at one matrix, from the vectors' cached decompositions. */
final class LowRankSum {
    private LowRankSum() {
    }

    /**
     * At least the leading k triplets of each vector at one matrix (more when the inputs plan a sweep to a larger
     * rank), in parallel; a failure first looks for NaN/Inf inputs.
     */
    static Svd[] decompose(List<TaskVector> vectors, String name, int k, SvdChoice choice, MergeInputs in) {
        long[] shape = in.layout().entry(name).shape();
        int wanted = Math.max(k, in.plannedRank((int) shape[0], (int) shape[1]));
        try {
            return vectors.parallelStream().map(v -> v.svd(name, wanted, choice)).toArray(Svd[]::new);
        } catch (org.taulab.dsl.TauLabException e) {
            in.requireFinite(name);
            throw e;
        }
    }

    static NDArray of(MergeInputs in, List<TaskVector> vectors, String name, Rank rank, double lambda, SvdChoice choice, NDManager m) {
        long[] shape = in.layout().entry(name).shape();
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        int k = rank.k(rows, cols);
        Svd[] svds = decompose(vectors, name, k, choice, in);
        float[] sum = Svd.sumOfTruncations(svds, k, (float) lambda);
        return m.create(sum, new ai.djl.ndarray.types.Shape(rows, cols));
    }
}
